/**
 * Processes the integration tests start and stop: each detached (its own process group, so a SIGKILL of the group
 * reaches the job processes a runner or worker forks) with its output collected; Debian's redis-server on a free
 * loopback port without persistence (a restart comes back empty); waiting for a condition with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { probeRedis } from '../src/experiments/watch-redis.ts';

/** Debian's redis-server (`apt-get install redis-server`); tests that need it skip without it. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A started process with its output so far. */
export interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `command args` detached, stdout and stderr collected into the returned record as they arrive. */
export function startProcess(command: string, args: readonly string[]): Proc {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { child, stderr: '', stdout: '', exit: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout?.on('data', (d: Buffer) => (proc.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (proc.stderr += d.toString()));
  return proc;
}

/** SIGKILLs a process's group, unless it has already ended. */
export function killGroup(proc: Proc): void {
  if (proc.child.pid === undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  try {
    process.kill(-proc.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Resolves with `probe()`'s first value that is not null, undefined or false, polling every 50 ms; throws after `ms`. */
export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A loopback port nothing listens on (taken and given back). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** redis-server on a loopback port, without persistence, its files in `dir`; resolves once it answers. */
export async function startRedis(port: number, dir: string): Promise<Proc> {
  const redis = startProcess(REDIS_SERVER, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  const end = Date.now() + 20_000;
  for (;;) {
    try {
      await probeRedis(`redis://127.0.0.1:${port}`, 500);
      return redis;
    } catch (e) {
      if (Date.now() > end || redis.child.exitCode !== null)
        throw new Error(`redis-server on port ${port} did not start: ${(e as Error).message}\n${redis.stdout}`);
      await sleep(50);
    }
  }
}
