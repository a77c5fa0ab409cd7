import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeRedis, redisErrorText, watchRedis } from './watch-redis.ts';

/** A loopback port nothing listens on (taken and given back). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const refused = (port: number) =>
  Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });

describe('Redis errors for users', () => {
  it('are one line naming redis://HOST:PORT, never the password', () => {
    const url = 'redis://user:s3cret@db.example:6390/2';
    expect(redisErrorText(url, refused(6390))).toBe('redis://db.example:6390: cannot connect (ECONNREFUSED)');
    expect(redisErrorText('redis://db.example', Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(
      'redis://db.example:6379: cannot connect (ENOTFOUND)',
    );
    expect(redisErrorText(url, new Error('NOAUTH Authentication required.'))).toBe(
      'redis://db.example:6390: Redis needs a password (give it in the URL: redis://[USER]:PASSWORD@HOST:PORT)',
    );
    expect(redisErrorText(url, new Error('WRONGPASS invalid username-password pair'))).toBe(
      'redis://db.example:6390: Redis refused the user name or password (give it in the URL: redis://[USER]:PASSWORD@HOST:PORT)',
    );
    expect(redisErrorText(url, new Error('Missing key for job x\nmore'))).toBe(
      'redis://db.example:6390: Missing key for job x',
    );
  });

  it('probeRedis refuses a closed port in one line', async () => {
    const port = await closedPort();
    await expect(probeRedis(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`^redis://127\\.0\\.0\\.1:${port}: cannot connect \\(ECONNREFUSED\\)$`),
    );
  });
});

/** `watchRedis` of a closed loopback port with one error source, probing every 100 ms, its log lines collected. */
async function watchClosedPort(giveUpMs: number) {
  const port = await closedPort();
  const url = `redis://127.0.0.1:${port}`;
  const source = new EventEmitter();
  const lines: string[] = [];
  const watch = watchRedis(url, [source], { giveUpMs, probeMs: 100, log: (l) => lines.push(l) });
  return { port, url, source, lines, watch };
}

describe('watchRedis', () => {
  it('logs one line per outage, however many errors come, and gives up after giveUpMs', async () => {
    const { port, url, source, lines, watch } = await watchClosedPort(400);
    const started = Date.now();
    for (let i = 0; i < 5; i++) source.emit('error', refused(port));
    await expect(watch.lost).rejects.toThrow(`${url}: cannot connect (ECONNREFUSED) for 0.4 s; giving up`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(lines).toEqual([`${url}: cannot connect (ECONNREFUSED); retrying for 0.4 s`]);
  });

  it('rides out an outage that ends (one line when Redis answers again)', async () => {
    const { port, url, source, lines, watch } = await watchClosedPort(3000);
    let settled = false;
    watch.lost.catch(() => (settled = true));
    source.emit('error', refused(port));
    const server: Server = await new Promise((resolve) => {
      const s = createServer((socket) => socket.end()).listen(port, '127.0.0.1', () => resolve(s));
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(lines).toEqual([`${url}: cannot connect (ECONNREFUSED); retrying for 3 s`, `${url}: connected again`]);
    watch.stop();
    server.close();
    expect(settled).toBe(false);
  });

  it('gives up at once on a refused password', async () => {
    const source = new EventEmitter();
    const watch = watchRedis('redis://127.0.0.1:1', [], { log: () => undefined });
    watch.add(source);
    source.emit('error', new Error('NOAUTH Authentication required.'));
    await expect(watch.lost).rejects.toThrow(
      'redis://127.0.0.1:1: Redis needs a password (give it in the URL: redis://[USER]:PASSWORD@HOST:PORT)',
    );
  });
});
