/**
 * The OUT lock: one study runner per output folder. `OUT/study.lock` holds the runner's pid, host, start time and
 * a random token; it is created with `link(2)` from a complete temporary file, so it appears atomically and whole
 * or not at all, and a second runner finds it and refuses, naming the holder. A lock of a pid that is no longer
 * running on this host is stale (a SIGKILLed runner) and is taken over with a message; a lock from another host
 * cannot be checked and is refused (the message says how to remove it). Job processes check the lock still names
 * their runner before they write a job's records (`assertLockHeld`), so a runner that lost OUT leaves none.
 * On Linux the holder's process start time (`/proc/PID/stat`, field 22) is recorded too, so a reused pid does
 * not keep a stale lock alive.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';

/** `OUT/study.lock`: the runner holding the folder (`StudyLock`, JSON). */
export const LOCK_FILE = 'study.lock';

/** What `OUT/study.lock` holds. */
export interface StudyLock {
  /** Process id of the runner holding the lock. */
  pid: number;
  /** Host name (`os.hostname()`) of the runner's machine; a lock from another host is never taken over. */
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Random; names this holding of the lock (a pid alone may be reused). */
  token: string;
  /** The holder's start time in clock ticks since boot (Linux `/proc/PID/stat` field 22), when known. */
  processStart?: string;
}

/** A lock this process holds. */
export interface HeldStudyLock {
  /** What the lock file holds for this holding; handed to job processes so they can check it (`assertLockHeld`). */
  lock: StudyLock;
  /** Removes the lock file if it still names this holding (idempotent; also run on process exit). */
  release(): void;
}

/** Options of `acquireStudyLock`. */
export interface AcquireStudyLockOptions {
  /** Where the takeover of a stale lock is announced; default stderr. */
  log?: (line: string) => void;
}

/** `/proc/PID/stat` field 22, or undefined off Linux or when the process does not exist. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) may hold spaces and parentheses: count the fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** True when the lock's holder runs on this host and is alive (the same process, not a reused pid). */
export function holderAlive(lock: StudyLock): boolean {
  if (lock.host !== hostname()) return false;
  try {
    process.kill(lock.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(lock.pid);
  return lock.processStart === undefined || start === undefined || start === lock.processStart;
}

const describeHolder = (lock: StudyLock): string => `pid ${lock.pid} on host ${lock.host}, since ${lock.startedAt}`;

function parseLock(text: string): StudyLock | null {
  try {
    const v = JSON.parse(text) as Partial<StudyLock>;
    if (
      typeof v.pid !== 'number' ||
      typeof v.host !== 'string' ||
      typeof v.token !== 'string' ||
      typeof v.startedAt !== 'string'
    )
      return null;
    return v as StudyLock;
  } catch {
    return null;
  }
}

/** The lock in `out`, or null when there is none; an unreadable lock file is an error naming it. */
export function readStudyLock(out: string): StudyLock | null {
  const path = join(out, LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MultiraterError(
      'io_error',
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const lock = parseLock(text);
  if (lock === null)
    throw new MultiraterError(
      'output_conflict',
      `${path}: not a study lock (expected JSON with pid, host, startedAt and token); delete it if no study runs in ${out}`,
    );
  return lock;
}

/** Makes `out` a folder for the lock, or says in one line why it cannot be. */
function ensureFolder(out: string): void {
  try {
    if (!statSync(out).isDirectory())
      throw new MultiraterError('invalid_argument', `${out}: is a file, not a study folder`);
    return;
  } catch (e) {
    if (e instanceof MultiraterError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new MultiraterError('io_error', `${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new MultiraterError(
      'io_error',
      `${out}: cannot create the study folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/**
 * Moves the stale lock `seen` out of the way. Another runner may have taken the stale lock over and written its
 * own since we read it: what was moved is compared with what was seen, and a live lock is put back.
 */
function removeStale(path: string, seen: string): boolean {
  const moved = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(path, moved);
  } catch {
    return false;
  }
  const same = readFileSync(moved, 'utf8') === seen;
  if (!same) {
    try {
      linkSync(moved, path);
    } catch {
      // A third runner locked OUT meanwhile; it holds the lock now.
    }
  }
  rmSync(moved, { force: true });
  return same;
}

/** Takes the OUT lock (see the file comment), creating OUT if needed; refuses in one line if a live runner holds it. */
export function acquireStudyLock(out: string, options: AcquireStudyLockOptions = {}): HeldStudyLock {
  ensureFolder(out);
  const path = join(out, LOCK_FILE);
  const start = processStart(process.pid);
  const lock: StudyLock = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
    ...(start === undefined ? {} : { processStart: start }),
  };
  const text = JSON.stringify(lock, null, 2) + '\n';
  const tmp = `${path}.${lock.token}.tmp`;
  writeFileSync(tmp, text);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new MultiraterError(
            'io_error',
            `${path}: cannot create (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          );
      }
      let seen: string;
      try {
        seen = readFileSync(path, 'utf8');
      } catch {
        continue; // Released between our link and our read: try again.
      }
      const holder = parseLock(seen);
      if (holder === null)
        throw new MultiraterError(
          'output_conflict',
          `${path}: not a study lock (expected JSON with pid, host, startedAt and token); delete it if no study runs in ${out}`,
        );
      if (holder.host !== hostname())
        throw new MultiraterError(
          'output_conflict',
          `${out}: in use by a study runner on another host (${describeHolder(holder)}); if that run is gone, delete ${path}`,
        );
      if (holderAlive(holder) || attempt >= 3)
        throw new MultiraterError(
          'output_conflict',
          `${out}: in use by another study runner (${describeHolder(holder)}); wait for it to end or stop it`,
        );
      if (removeStale(path, seen))
        (options.log ?? ((l: string) => process.stderr.write(l + '\n')))(
          `${path}: taking over the lock of pid ${holder.pid} (since ${holder.startedAt}), which is no longer running`,
        );
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  const release = (): void => {
    process.off('exit', release);
    try {
      if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
    } catch {
      // Already gone (or OUT removed): nothing to release.
    }
  };
  process.on('exit', release);
  return { lock, release };
}

/**
 * Throws unless `out`'s lock still names `runner` and, where that can be checked (same host), the runner is
 * alive: called before a job's records are written, so a job of a dead or displaced runner writes none.
 */
export function assertLockHeld(out: string, runner: StudyLock): void {
  const current = readStudyLock(out);
  const path = join(out, LOCK_FILE);
  if (current === null || current.token !== runner.token) {
    throw new MultiraterError(
      'output_conflict',
      `${path}: the runner of this job (${describeHolder(runner)}) no longer holds the lock${current === null ? '' : ` (now ${describeHolder(current)})`}; not recording the job`,
    );
  }
  if (runner.host === hostname() && !holderAlive(runner))
    throw new MultiraterError(
      'output_conflict',
      `${path}: the runner of this job (${describeHolder(runner)}) is no longer running; not recording the job`,
    );
}
