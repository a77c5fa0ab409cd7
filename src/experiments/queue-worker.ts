/**
 * `multirater worker`: takes jobs from the BullMQ queue and runs them in child processes (`job-pool.ts`), writing
 * into the shared OUT folder. A job whose needed jobs are not all done goes back on the queue for a moment; one
 * whose needed job failed for good fails at once (`BLOCKED_PREFIX`). If the worker dies, its job's lock expires
 * and another worker's stalled-job check hands the job on; a training job resumes from its checkpoint.
 */
import { isDone, type Job } from './job.ts';
import { JobPool } from './job-pool.ts';
import { getJobKind } from './jobs/builtins.ts';
import { BLOCKED_PREFIX, DEFAULT_QUEUE_NAME, probeRedis, redisConnection, type QueuedJobData, type QueueOptions } from './queue.ts';
import { threadsPerWorker } from './runner.ts';

export interface QueueWorkerOptions extends QueueOptions {
  /** The study's output folder as this machine mounts it. */
  out: string;
  /** Jobs at once (child processes); default 1. */
  workers?: number;
  /** ONNX Runtime threads per job; default all cores with one worker, ⌊cores / workers⌋ with more. */
  threads?: number;
  /** How long a job's lock lasts without renewal, ms (BullMQ lockDuration); default 30000. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for, ms (BullMQ stalledInterval); default 30000. */
  stalledIntervalMs?: number;
  /** How long a job with unfinished needs waits before it is tried again, ms; default 2000. */
  waitMs?: number;
  /** Stops the worker: running jobs are killed and handed on (training resumes from its checkpoint). */
  signal?: AbortSignal;
  /** Log lines; default stderr. */
  log?: (line: string) => void;
}

/** Runs jobs from the queue until `signal` aborts; see the file comment. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const connection = redisConnection(options.url);
  await probeRedis(options.url);
  const { Worker, Queue, DelayedError, UnrecoverableError } = await import('bullmq');
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const concurrency = Math.max(1, options.workers ?? 1);
  const progressOf = new Map<string, (fraction: number) => void>();
  const pool = new JobPool({ size: concurrency, out: options.out, threads: threadsPerWorker(concurrency, options.threads), onProgress: (key, f) => progressOf.get(key)?.(f) });
  const queue = new Queue(queueName, { connection });
  await queue.waitUntilReady();

  const worker = new Worker<QueuedJobData>(
    queueName,
    async (bull, token) => {
      const job: Job = bull.data.job;
      if (isDone(options.out, job.key)) return { skipped: true };
      const missing = Object.values(job.needs).filter((k) => !isDone(options.out, k));
      if (missing.length > 0) {
        for (const key of missing) {
          const state = await queue.getJobState(key);
          if (state === 'failed' || state === 'unknown') throw new UnrecoverableError(`${BLOCKED_PREFIX}${key}, which ${state === 'failed' ? 'failed' : 'is not on the queue'}`);
        }
        await bull.moveToDelayed(Date.now() + (options.waitMs ?? 2000), token);
        throw new DelayedError();
      }
      log(`▶ ${job.key}  ${job.kind}: ${getJobKind(job.kind).describe(job)} (attempt ${bull.attemptsMade + 1})`);
      let last = 0;
      progressOf.set(job.key, (f) => {
        if (f - last >= 0.05 || f === 1) {
          last = f;
          void bull.updateProgress(Math.round(f * 100)).catch(() => undefined);
        }
      });
      try {
        const outcome = await pool.run(job);
        if (!outcome.ok) {
          log(`✗ ${job.key}  failed: ${outcome.message.split('\n')[0]}`);
          throw new Error(outcome.message);
        }
        log(`✓ ${job.key}  ${outcome.done.seconds.toFixed(1)} s`);
        return { seconds: outcome.done.seconds };
      } finally {
        progressOf.delete(job.key);
      }
    },
    { connection, concurrency, lockDuration: options.lockDurationMs ?? 30000, stalledInterval: options.stalledIntervalMs ?? 30000, maxStalledCount: 3 },
  );
  worker.on('error', (e) => log(`worker: ${e.message}`));
  log(`worker on ${options.url} queue ${queueName}, ${concurrency} job(s) at a time, out ${options.out}`);
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await pool.close();
  await worker.close(true);
  await queue.close();
}
