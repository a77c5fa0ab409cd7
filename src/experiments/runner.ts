/**
 * The local runner: runs a job graph with `workers` child processes (`job-pool.ts`), each job as soon as the jobs
 * it needs are done, skipping finished ones (`done.json`). With one worker ONNX Runtime gets every core; with N
 * each job gets ⌊cores / N⌋ threads. A failed job is reported with its spec path; the jobs that need it are not
 * run, every other job still is. Aborting (Ctrl-C) kills the children: a running training job continues from its
 * last checkpoint the next time, other running jobs start over. The run holds the OUT lock (`study-lock.ts`):
 * a second runner on the same folder refuses, and the jobs record themselves only while this one holds it.
 */
import { performance } from 'node:perf_hooks';
import { usableCpus } from '../cores.ts';
import { specPath } from './execute-job.ts';
import { isDone, topologicalOrder, type Job } from './job.ts';
import { JobPool } from './job-pool.ts';
import { getJobKind, loadJobKindModules } from './jobs/builtins.ts';
import { RunProgress } from './run-progress.ts';
import { acquireStudyLock, type HeldStudyLock, type StudyLock } from './study-lock.ts';
import type { ProgressStream } from '../train/index.ts';

/** Options of `runJobs`, the local runner: OUT, workers, threads per job, the lock and progress output. */
export interface RunJobsOptions {
  /** The study's output folder (OUT). */
  out: string;
  /** Child processes running jobs at once; default 1. */
  workers?: number;
  /** ONNX Runtime threads per job; default all cores with one worker, ⌊cores / workers⌋ with more. */
  threads?: number;
  /** The OUT lock the caller holds (`study-lock.ts`); default: taken for the run and released after. */
  lock?: StudyLock;
  /** Modules of job kinds beyond the builtins (tests and benchmarks; `loadJobKindModules`). */
  kindModules?: readonly string[];
  /** Stops the run: children are killed, the result says `interrupted`. */
  signal?: AbortSignal;
  /** Where progress goes; default stderr. */
  stream?: ProgressStream;
  /** Redraw the overall bar in place; default when the stream is a terminal. */
  bar?: boolean;
}

/** A job that failed. */
export interface FailedJob {
  /** The job's key, `<kind>-<id>`. */
  key: string;
  /** Its spec.json, to inspect or re-run. */
  specPath: string;
  /** The error's message (its stack when it carried no `code`), or why the child process died. */
  message: string;
}

/** How a run of a job graph went (`runJobs`, `runJobsOnQueue`). */
export interface RunJobsResult {
  /** Jobs in the graph. */
  total: number;
  /** Finished before this run. */
  skipped: number;
  /** Finished in this run. */
  ran: number;
  /** Jobs that failed in this run. */
  failed: FailedJob[];
  /** Not run because a job they need failed. */
  blocked: string[];
  /** True when the run was aborted (`signal`) before every job had ended. */
  interrupted: boolean;
  /** Wall time of the run, seconds. */
  seconds: number;
}

/** Threads per job for `workers` workers on this machine (undefined = let ONNX Runtime take every core). */
export function threadsPerWorker(workers: number, threads?: number): number | undefined {
  if (threads !== undefined) return threads;
  return workers <= 1 ? undefined : Math.max(1, Math.floor(usableCpus() / workers));
}

/** Runs `jobs` locally; see the file comment. */
export async function runJobs(jobs: readonly Job[], options: RunJobsOptions): Promise<RunJobsResult> {
  const held: HeldStudyLock =
    options.lock === undefined ? acquireStudyLock(options.out) : { lock: options.lock, release: () => undefined };
  try {
    return await runLocked(jobs, options, held.lock);
  } finally {
    held.release();
  }
}

async function runLocked(jobs: readonly Job[], options: RunJobsOptions, lock: StudyLock): Promise<RunJobsResult> {
  const started = performance.now();
  const order = topologicalOrder(jobs);
  const finished = new Set(order.filter((j) => isDone(options.out, j.key)).map((j) => j.key));
  const pending = order.filter((j) => !finished.has(j.key));
  const result: RunJobsResult = {
    total: order.length,
    skipped: finished.size,
    ran: 0,
    failed: [],
    blocked: [],
    interrupted: false,
    seconds: 0,
  };
  if (pending.length === 0) return { ...result, seconds: (performance.now() - started) / 1000 };

  const workers = Math.max(1, Math.min(options.workers ?? 1, pending.length));
  const progress = new RunProgress(
    { total: order.length, finished: finished.size, workers, stream: options.stream, bar: options.bar },
    pending.map((j) => j.kind),
  );
  await loadJobKindModules(options.kindModules ?? []);
  const pool = new JobPool({
    size: workers,
    out: options.out,
    threads: threadsPerWorker(workers, options.threads),
    kindModules: options.kindModules,
    onProgress: (k, f) => progress.progress(k, f),
  });
  const dead = new Set<string>();
  const running = new Map<string, Promise<void>>();

  await new Promise<void>((resolveRun) => {
    const onAbort = (): void => {
      result.interrupted = true;
      progress.line('interrupted: stopping the running jobs (training resumes from its last checkpoint next time)');
      void pool.close().then(resolveRun);
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const schedule = (): void => {
      if (result.interrupted) return;
      for (let i = 0; i < pending.length;) {
        const job = pending[i];
        const deadNeed = Object.values(job.needs).find((k) => dead.has(k));
        if (deadNeed !== undefined) {
          pending.splice(i, 1);
          dead.add(job.key);
          result.blocked.push(job.key);
          progress.blocked(job.key, job.kind, deadNeed);
          continue;
        }
        const ready = Object.values(job.needs).every((k) => finished.has(k));
        if (ready && pool.idle > 0) {
          pending.splice(i, 1);
          start(job);
          continue;
        }
        i++;
      }
      if (running.size === 0) {
        options.signal?.removeEventListener('abort', onAbort);
        void pool.shutdown().then(resolveRun);
      }
    };

    const start = (job: Job): void => {
      progress.started(job.key, job.kind, `${job.kind}: ${getJobKind(job.kind).describe(job)}`);
      const run = pool.run(job, lock).then((outcome) => {
        running.delete(job.key);
        if (result.interrupted) return;
        if (outcome.ok) {
          finished.add(job.key);
          result.ran++;
          progress.finished(job.key, job.kind, outcome.done.seconds);
        } else {
          dead.add(job.key);
          const failed = { key: job.key, specPath: specPath(options.out, job.key), message: outcome.message };
          result.failed.push(failed);
          progress.failedJob(job.key, job.kind, outcome.message, failed.specPath);
        }
        schedule();
      });
      running.set(job.key, run);
    };
    schedule();
  });
  progress.end();
  return { ...result, seconds: (performance.now() - started) / 1000 };
}
