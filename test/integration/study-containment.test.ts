/**
 * A study runner owns its OUT, and a worker works only for the study its OUT holds (issue 30, part 3), run as a
 * user runs them on the smoke preset: inputs are checked before anything is written; a second runner on one OUT
 * refuses, naming the holder, a dead runner's lock is taken over, SIGTERM releases it; a worker with the wrong
 * `--out` refuses the study's jobs (one line) and leaves them on the queue for the right worker; Redis going away
 * ends runner and workers with one line. The queue part starts Debian's redis-server on a free loopback port.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli.ts';
import { tempDir } from '../dataset-trees.ts';
import {
  freePort,
  killGroup,
  REDIS_SERVER as REDIS,
  sleep,
  startProcess,
  startRedis,
  waitFor,
  type Proc,
} from '../processes.ts';
import { copySmokeStudy, smokeArgs, smokeStudy, studyTables as tables } from '../smoke-study.ts';

const run = runCli;
let root: string;
const started: Proc[] = [];

beforeAll(() => {
  root = tempDir('study-containment');
});
afterAll(() => {
  for (const p of started) killGroup(p);
  rmSync(root, { recursive: true, force: true });
});

const smoke = (out: string, ...more: string[]) => smokeArgs('nonexpert', out, ...more);
/** `multirater args` (or `command args`), detached, killed with its group after the tests. */
function start(args: string[], command = process.execPath): Proc {
  const p = startProcess(command, command === process.execPath ? [BIN, ...args] : args);
  started.push(p);
  return p;
}

/** The run's stderr is exactly one line, `multirater: …`, matching `pattern`. */
function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/^multirater: [^\n]*\n$/);
  expect(r.stderr).toMatch(pattern);
}

const doneJobs = (out: string): string[] =>
  existsSync(join(out, 'jobs'))
    ? readdirSync(join(out, 'jobs')).filter((k) => existsSync(join(out, 'jobs', k, 'done.json')))
    : [];

describe('study run checks its inputs before it writes', () => {
  it('refuses a missing --data, a non-redis or unreachable --queue and an --out that is a file, leaving no OUT', async () => {
    const out = join(root, 'never');
    oneLine(
      run(...smoke(out, '--data', '/nonexistent')),
      /^multirater: --data \/nonexistent: \/nonexistent\/dataset\.json: no such file\n$/,
    );
    oneLine(
      run(...smoke(out, '--queue', 'foo://x')),
      /^multirater: --queue foo:\/\/x: expected a redis:\/\/ or rediss:\/\/ URL\n$/,
    );
    const port = await freePort();
    oneLine(
      run(...smoke(out, '--queue', `redis://:pw@127.0.0.1:${port}`)),
      new RegExp(`^multirater: redis://127\\.0\\.0\\.1:${port}: cannot connect \\(ECONNREFUSED\\)\\n$`),
    );
    expect(existsSync(out)).toBe(false);
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    oneLine(run(...smoke(file)), /is a file, not a study folder/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('worker refuses at start an --out that is missing or a file', () => {
    oneLine(
      run('worker', '--queue', 'redis://127.0.0.1:1', '--out', join(root, 'missing')),
      /--out \S+missing: no such folder/,
    );
    oneLine(
      run('worker', '--queue', 'redis://127.0.0.1:1', '--out', join(root, 'a-file')),
      /--out \S+a-file: is a file, not a study folder/,
    );
  });
});

describe('the OUT lock', () => {
  it('refuses a second runner naming the holder, takes over a dead runner’s lock, and is released at the end', async () => {
    const held = join(root, 'held');
    mkdirSync(held);
    writeFileSync(
      join(held, 'study.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 't' }),
    );
    oneLine(
      run(...smoke(held)),
      new RegExp(
        `in use by another study runner \\(pid ${process.pid} on host ${hostname()}, since 2026-01-01T00:00:00.000Z\\); wait for it to end or stop it`,
      ),
    );
    expect(readdirSync(held)).toEqual(['study.lock']);

    // The takeover on a copy of the finished shared study: the runner takes the lock, finds every job done, ends.
    const out = await copySmokeStudy('nonexpert', join(root, 'taken-over'));
    const lock = join(out, 'study.lock');

    const dead = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
    );
    writeFileSync(
      lock,
      JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 't' }),
    );
    const r = run(...smoke(out));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(
      `${lock}: taking over the lock of pid ${dead} (since 2026-01-01T00:00:00.000Z), which is no longer running`,
    );
    expect(existsSync(lock)).toBe(false);
  }, 300_000);

  it('is released when the runner is stopped with SIGTERM', async () => {
    const out = join(root, 'terminated');
    const study = start(smoke(out));
    await waitFor(() => existsSync(join(out, 'study.lock')) && study.stderr.includes('▶'), 'the first job');
    process.kill(study.child.pid!, 'SIGTERM');
    expect(await study.exit, study.stderr).toBe(130);
    expect(existsSync(join(out, 'study.lock'))).toBe(false);
  }, 60_000);
});

describe.skipIf(!existsSync(REDIS))('on a queue', () => {
  it('a worker with the wrong --out refuses the study’s jobs and leaves them for the right worker; Redis gone ends everyone in one line', async () => {
    const port = await freePort();
    const redis = await startRedis(port, root);
    started.push(redis);
    const url = `redis://127.0.0.1:${port}`;
    const wrongOut = join(root, 'wrong');
    const rightOut = join(root, 'right');
    mkdirSync(wrongOut);
    const worker = (out: string) =>
      start([
        'worker',
        '--queue',
        url,
        '--out',
        out,
        '--lock-duration',
        '2000',
        '--stalled-interval',
        '1000',
        '--redis-timeout',
        '1500',
      ]);
    const wrong = worker(wrongOut);
    const study = start(smoke(rightOut, '--queue', url, '--redis-timeout', '1500'));
    await waitFor(() => wrong.stderr.includes('refusing'), 'the wrong worker to refuse');
    const id = JSON.parse(readFileSync(join(rightOut, 'study.json'), 'utf8')).id as string;
    const refusal = `refusing the jobs of study ${id} (OUT ${rightOut} on its runner): this worker's --out ${wrongOut} holds no study (no study.json yet); leaving them on the queue for another worker`;
    expect(wrong.stderr).toContain(`\n${refusal}\n`);
    await sleep(3000);
    // Neither done nor failed: nothing recorded anywhere, the runner still waiting.
    expect(doneJobs(rightOut)).toEqual([]);
    expect(readdirSync(wrongOut)).toEqual([]);
    expect(study.child.exitCode).toBeNull();
    expect(study.stderr).not.toContain('✗');

    const right = worker(rightOut);
    expect(await study.exit, study.stderr).toBe(0);
    expect(tables(rightOut)).toBe(tables(await smokeStudy('nonexpert')));
    expect(wrong.stderr.split(refusal).length - 1).toBe(1);
    expect(right.stderr).not.toContain('refusing');

    // A runner waiting on the queue, and both workers, when Redis goes away for longer than --redis-timeout.
    const waiting = start([
      'study',
      'run',
      'annotators',
      '--preset',
      'smoke',
      '--out',
      join(root, 'waiting'),
      '--queue',
      url,
      '--redis-timeout',
      '1500',
    ]);
    await waitFor(() => existsSync(join(root, 'waiting', 'study.json')), 'the second study to be enqueued');
    await sleep(1000);
    process.kill(redis.child.pid!, 'SIGKILL');
    // Refused when Redis is already gone at the next attempt, reset when it dies under an open connection: a race.
    const gaveUp = new RegExp(
      `\\nmultirater: redis://127\\.0\\.0\\.1:${port}: cannot connect \\((?:ECONNREFUSED|ECONNRESET)\\) for 1\\.5 s; giving up\\n$`,
    );
    for (const p of [waiting, wrong, right]) {
      expect(await p.exit, p.stderr).toBe(1);
      expect(p.stderr).toMatch(gaveUp);
      expect(p.stderr).not.toMatch(/errno|^\s+at /m);
    }
    expect(existsSync(join(root, 'waiting', 'study.lock'))).toBe(false);
  }, 180_000);
});
