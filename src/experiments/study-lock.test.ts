import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMultiraterError, type MultiraterErrorCode } from '../errors.ts';
import { acquireStudyLock, assertLockHeld, LOCK_FILE, readStudyLock, type StudyLock } from './study-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-study-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = (): string => join(root, `out${n++}`);

/** `fn` throws a one-line MultiraterError with `code` and this message. */
function expectMultiraterError(fn: () => unknown, code: MultiraterErrorCode, message: string | RegExp): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isMultiraterError(error, code), String(error)).toBe(true);
  const text = (error as Error).message;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
  expect(text).not.toContain('\n');
}

/** The pid of a process that has exited (so is not running). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const writeLock = (out: string, lock: Partial<StudyLock>): void => {
  writeFileSync(
    join(out, LOCK_FILE),
    JSON.stringify({ pid: 1, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', token: 'old', ...lock }),
  );
};

describe('acquireStudyLock', () => {
  it('creates OUT and a lock naming this pid, host and start time; release removes it', () => {
    const out = folder();
    const held = acquireStudyLock(out);
    expect(readStudyLock(out)).toEqual(held.lock);
    expect(held.lock).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.now() - Date.parse(held.lock.startedAt)).toBeLessThan(5000);
    held.release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    held.release();
  });

  it('refuses a second runner in one line naming the holder', () => {
    const out = folder();
    const held = acquireStudyLock(out);
    expectMultiraterError(
      () => acquireStudyLock(out),
      'output_conflict',
      `${out}: in use by another study runner (pid ${process.pid} on host ${hostname()}, since ${held.lock.startedAt}); wait for it to end or stop it`,
    );
    expect(readStudyLock(out)).toEqual(held.lock);
    held.release();
  });

  it('takes over the lock of a dead local pid, with a message', () => {
    const out = folder();
    acquireStudyLock(out).release();
    const pid = deadPid();
    writeLock(out, { pid });
    const lines: string[] = [];
    const held = acquireStudyLock(out, { log: (l) => lines.push(l) });
    expect(lines).toEqual([
      `${join(out, LOCK_FILE)}: taking over the lock of pid ${pid} (since 2020-01-01T00:00:00.000Z), which is no longer running`,
    ]);
    expect(readStudyLock(out)?.token).toBe(held.lock.token);
    held.release();
    expect(readdirSync(out)).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to another process (a reused pid)',
    () => {
      const out = folder();
      acquireStudyLock(out).release();
      writeLock(out, { pid: process.pid, processStart: '1' });
      const held = acquireStudyLock(out, { log: () => undefined });
      expect(held.lock.processStart).not.toBe('1');
      held.release();
    },
  );

  it("refuses another host's lock, saying how to remove it", () => {
    const out = folder();
    acquireStudyLock(out).release();
    writeLock(out, { host: 'elsewhere', pid: 42 });
    expectMultiraterError(
      () => acquireStudyLock(out),
      'output_conflict',
      `${out}: in use by a study runner on another host (pid 42 on host elsewhere, since 2020-01-01T00:00:00.000Z); if that run is gone, delete ${join(out, LOCK_FILE)}`,
    );
  });

  it('refuses an OUT that is a file, and a lock file that is not a lock', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expectMultiraterError(() => acquireStudyLock(file), 'invalid_argument', `${file}: is a file, not a study folder`);
    const out = folder();
    acquireStudyLock(out).release();
    writeFileSync(join(out, LOCK_FILE), '{"pid": 1');
    expectMultiraterError(
      () => acquireStudyLock(out),
      'output_conflict',
      /study\.lock: not a study lock .*; delete it if no study runs in /,
    );
  });

  it('is released when the process exits', () => {
    const out = folder();
    const script = `import { acquireStudyLock } from ${JSON.stringify(new URL('./study-lock.ts', import.meta.url).pathname)}; acquireStudyLock(${JSON.stringify(out)}); process.exit(3);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(3);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});

describe('assertLockHeld', () => {
  it('passes for the holder and fails once another runner holds OUT or the holder is dead', () => {
    const out = folder();
    const held = acquireStudyLock(out);
    assertLockHeld(out, held.lock);
    held.release();
    const other = acquireStudyLock(out);
    expectMultiraterError(
      () => assertLockHeld(out, held.lock),
      'output_conflict',
      new RegExp(
        `the runner of this job \\(pid ${process.pid} .*\\) no longer holds the lock \\(now pid ${process.pid} .*\\); not recording the job$`,
      ),
    );
    other.release();
    expectMultiraterError(
      () => assertLockHeld(out, held.lock),
      'output_conflict',
      /no longer holds the lock; not recording the job$/,
    );
    const dead = { ...held.lock, pid: deadPid() };
    writeFileSync(join(out, LOCK_FILE), JSON.stringify(dead));
    expectMultiraterError(
      () => assertLockHeld(out, dead),
      'output_conflict',
      /the runner of this job \(pid \d+ .*\) is no longer running; not recording the job$/,
    );
    expect(JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')).pid).toBe(dead.pid);
  });
});
