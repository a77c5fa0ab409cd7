/**
 * Runs one job in this process under the folder contract (`job.ts`): skips it when it has finished; otherwise
 * prepares the folder (emptied first unless the kind resumes from what is there; emptied always when its records
 * are unreadable, `readJobRecords`, so the job starts over rather than resume from a state of unknown origin),
 * writes `spec.json`, runs the kind, and writes `done.json` last, atomically. A failure leaves `failed.json` (message and code) for
 * `study status`, removed when the job next starts. Given its runner's OUT lock, the job touches its folder and
 * writes these records only while the lock still names a live runner (`assertLockHeld`, checked at the start and
 * just before the records), so a job of a killed or displaced runner records nothing.
 */
import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { DONE_FILE, isDone, jobDir, readJobRecords, SPEC_FILE, type Job, type JobDone } from './job.ts';
import { getJobKind, jobSpecProblem } from './jobs/builtins.ts';
import { assertLockHeld, type StudyLock } from './study-lock.ts';

/** Left in a job's folder by a failed run: `{ message, code, at }`; removed when the job next starts. */
export const FAILED_FILE = 'failed.json';
/** The job's log lines, appended in its folder across runs. */
export const LOG_FILE = 'log.txt';

/** Options of `executeJob`: threads, progress and log callbacks, and the runner's OUT lock. */
export interface ExecuteJobOptions {
  /** ONNX Runtime intra-op threads; default the physical cores. */
  threads?: number;
  /** Progress within the job, 0…1. */
  onProgress?: (fraction: number) => void;
  /** Log lines of the job (also appended to its log.txt). */
  onLog?: (line: string) => void;
  /** The OUT lock of the job's runner (`study-lock.ts`); default: records are written unchecked. */
  runner?: StudyLock;
}

/** How `executeJob` ended without error. */
export interface ExecuteJobResult {
  /** `done`: run now; `skipped`: it had already finished, nothing was run. */
  status: 'done' | 'skipped';
  /** The job's `done.json`: written now, or as found when skipped. */
  done: JobDone;
}

/** What `spec.json` holds: the job as planned. */
export function specPath(out: string, key: string): string {
  return join(jobDir(out, key), SPEC_FILE);
}

/** False when `check` throws. */
function lockHeld(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Runs `job` (see the file comment); throws the kind's error after recording it in failed.json. */
export async function executeJob(job: Job, out: string, options: ExecuteJobOptions = {}): Promise<ExecuteJobResult> {
  const records = readJobRecords(out, job.key, jobSpecProblem);
  if (records.state === 'done') return { status: 'skipped', done: records.done };
  const missing = Object.values(job.needs).filter((k) => !isDone(out, k));
  if (missing.length > 0)
    throw new MultiraterError(
      'invalid_argument',
      `job ${job.key}: needed job(s) ${missing.join(', ')} have not finished`,
    );
  const kind = getJobKind(job.kind);
  const dir = jobDir(out, job.key);
  const checkLock = (): void => {
    if (options.runner !== undefined) assertLockHeld(out, options.runner);
  };
  checkLock();
  if (!kind.resumable || records.state === 'unreadable') rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, FAILED_FILE), { force: true });
  writeFileAtomic(join(dir, SPEC_FILE), JSON.stringify(job, null, 2) + '\n');
  const started = performance.now();
  const log = (line: string): void => {
    appendFileSync(join(dir, LOG_FILE), line + '\n');
    options.onLog?.(line);
  };
  try {
    const result = await kind.run(job, {
      out,
      dir,
      threads: options.threads,
      progress: options.onProgress ?? (() => undefined),
      log,
    });
    const done: JobDone = {
      schemaVersion: 1,
      key: job.key,
      kind: job.kind,
      result,
      seconds: (performance.now() - started) / 1000,
      finishedAt: new Date().toISOString(),
    };
    checkLock();
    writeFileAtomic(join(dir, DONE_FILE), JSON.stringify(done, null, 2) + '\n');
    return { status: 'done', done };
  } catch (e) {
    const error = e as Error & { code?: string };
    if (existsSync(dir) && lockHeld(checkLock))
      writeFileAtomic(
        join(dir, FAILED_FILE),
        JSON.stringify({ message: error.message, code: error.code ?? null, at: new Date().toISOString() }, null, 2) +
          '\n',
      );
    throw e;
  }
}
