/**
 * `multirater worker`: takes jobs from the BullMQ queue and runs them in child processes (`job-pool.ts`), writing
 * into the shared OUT folder. A job whose needed jobs are not all done goes back on the queue for a moment; one
 * whose needed job failed for good fails at once (`BLOCKED_PREFIX`). If the worker dies, its job's lock expires
 * and another worker's stalled-job check hands the job on; a training job resumes from its checkpoint.
 *
 * A worker works only for the study its OUT holds: each queued job carries its study's id (`study-file.ts`), and
 * a job of another study (a worker started with the wrong `--out`) is put back on the queue for a moment — moved
 * to delayed, as for unfinished needs, so it is neither done nor failed and no attempt is counted — with one line
 * on stderr per foreign study, and another worker takes it. (A queue per study would need the worker to know the
 * study before its first job, and a worker on the wrong folder would then wait in silence.)
 *
 * A job whose queue entry vanished — Redis restarted empty, or the queue was replaced (`queue-state.ts`) — is
 * dropped with one line: its run is stopped when this worker's lock on it no longer holds (checked every
 * `LOCK_CHECK_MS`, and when BullMQ fails to renew it), and BullMQ's errors about its missing key or lock are not
 * repeated; the study's runner enqueues again what the folder does not have as done, and the worker goes on.
 */
import { statSync } from 'node:fs';
import { MultiraterError } from '../errors.ts';
import { isDone, type Job } from './job.ts';
import { JobPool } from './job-pool.ts';
import { getJobKind, loadJobKindModules } from './jobs/builtins.ts';
import { BLOCKED_PREFIX, DEFAULT_QUEUE_NAME, redisConnection, type QueuedJobData, type QueueOptions } from './queue.ts';
import { LOCK_CHECK_MS, lostLocks, vanishedJobId } from './queue-state.ts';
import { threadsPerWorker } from './runner.ts';
import { readStudyFile } from './study-file.ts';
import { closeRedisClients, pingRedis, redisLabel, watchRedis } from './watch-redis.ts';

/** Options of `runQueueWorker` (`multirater worker`): the queue, the shared OUT, concurrency and BullMQ's timings. */
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
  /** Give up when Redis stays unreachable this long, ms; default 30000. */
  redisTimeoutMs?: number;
  /** Modules of job kinds beyond the builtins (tests and benchmarks; `loadJobKindModules`). */
  kindModules?: readonly string[];
  /** Stops the worker: running jobs are killed and handed on (training resumes from its checkpoint). */
  signal?: AbortSignal;
  /** Log lines; default stderr. */
  log?: (line: string) => void;
}

/** Refuses an OUT that is missing or a file, in one line. */
function checkOut(out: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(out).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MultiraterError(
      'file_not_found',
      code === 'ENOENT'
        ? `options.out ${out}: no such folder (give the study's OUT folder as this machine mounts it)`
        : `options.out ${out}: ${code ?? (e as Error).message}`,
    );
  }
  if (!isFolder) throw new MultiraterError('invalid_argument', `options.out ${out}: is a file, not a study folder`);
}

/** What `out` holds, for messages: `study nonexpert --preset smoke (id …)`, or why there is no id. */
function heldStudy(out: string): { id: string | undefined; text: string } {
  try {
    const file = readStudyFile(out);
    if (file === null) return { id: undefined, text: 'no study (no study.json yet)' };
    if (file.id === undefined)
      return {
        id: undefined,
        text: `study ${file.plan.study} --preset ${file.plan.preset} without an id (study.json of an older multirater)`,
      };
    return { id: file.id, text: `study ${file.plan.study} --preset ${file.plan.preset} (id ${file.id})` };
  } catch (e) {
    return { id: undefined, text: `an unreadable study.json (${(e as Error).message})` };
  }
}

/** Why this worker must not run `data` (one line, naming both studies), or null when its OUT holds the job's study. */
function refusal(data: Partial<QueuedJobData>, out: string): string | null {
  const held = heldStudy(out);
  if (data.study === undefined)
    return `refusing jobs without a study id (enqueued by an older multirater); leaving them on the queue`;
  if (held.id === data.study.id) return null;
  return `refusing the jobs of study ${data.study.id} (OUT ${data.study.out} on its runner): this worker's --out ${out} holds ${held.text}; leaving them on the queue for another worker`;
}

/** Runs jobs from the queue until `signal` aborts; see the file comment. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const connection = redisConnection(options.url);
  checkOut(options.out);
  await loadJobKindModules(options.kindModules ?? []);
  await pingRedis(options.url);
  const { Worker, Queue, DelayedError, UnrecoverableError } = await import('bullmq');
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const concurrency = Math.max(1, options.workers ?? 1);
  const progressOf = new Map<string, (fraction: number) => void>();
  const pool = new JobPool({
    size: concurrency,
    out: options.out,
    threads: threadsPerWorker(concurrency, options.threads),
    kindModules: options.kindModules,
    onProgress: (key, f) => progressOf.get(key)?.(f),
  });
  const queue = new Queue(queueName, { connection });
  const aborted = new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  // Listening before the first command: an error no one listens to, BullMQ prints as a raw object.
  const watch = watchRedis(options.url, [queue], { giveUpMs: options.redisTimeoutMs, log });
  let ready = false;
  try {
    ready = await Promise.race([queue.waitUntilReady().then(() => true), watch.lost, aborted.then(() => false)]);
  } finally {
    if (!ready) {
      watch.stop();
      await closeRedisClients([queue], 0);
    }
  }
  if (!ready) return;
  const refused = new Set<string>();
  // Jobs being run (id → BullMQ's lock token), and jobs dropped because their queue entries vanished.
  const running = new Map<string, string>();
  const dropped = new Set<string>();
  const drop = (key: string): void => {
    if (dropped.has(key)) return;
    dropped.add(key);
    const stopped = pool.cancel(key)
      ? ', its run stopped'
      : isDone(options.out, key)
        ? ' (its done.json is written)'
        : '';
    log(
      `■ ${key}  no longer on the queue (Redis restarted empty, or the queue was replaced): dropped${stopped}; the study's runner enqueues again what is not done`,
    );
  };

  const worker = new Worker<QueuedJobData>(
    queueName,
    async (bull, token) => {
      const job: Job = bull.data.job;
      const refuse = refusal(bull.data, options.out);
      if (refuse !== null) {
        if (!refused.has(refuse)) log(refuse);
        refused.add(refuse);
        await bull.moveToDelayed(Date.now() + (options.waitMs ?? 2000), token);
        throw new DelayedError();
      }
      dropped.delete(job.key);
      if (isDone(options.out, job.key)) return { skipped: true };
      const missing = Object.values(job.needs).filter((k) => !isDone(options.out, k));
      if (missing.length > 0) {
        for (const key of missing) {
          const state = await queue.getJobState(key);
          if (state === 'failed' || state === 'unknown')
            throw new UnrecoverableError(
              `${BLOCKED_PREFIX}${key}, which ${state === 'failed' ? 'failed' : 'is not on the queue'}`,
            );
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
      running.set(job.key, token ?? '');
      try {
        const outcome = await pool.run(job, bull.data.runner);
        if (dropped.has(job.key)) throw new Error(`${job.key}: dropped`);
        if (!outcome.ok) {
          log(`✗ ${job.key}  failed: ${outcome.message.split('\n')[0]}`);
          throw new Error(outcome.message);
        }
        log(`✓ ${job.key}  ${outcome.done.seconds.toFixed(1)} s`);
        return { seconds: outcome.done.seconds };
      } finally {
        running.delete(job.key);
        progressOf.delete(job.key);
      }
    },
    // runRetryDelay: after a lost connection BullMQ waits this long before it asks for jobs again (default 15 s).
    {
      connection,
      concurrency,
      lockDuration: options.lockDurationMs ?? 30000,
      stalledInterval: options.stalledIntervalMs ?? 30000,
      maxStalledCount: 3,
      runRetryDelay: 1000,
    },
  );
  // BullMQ's errors about a vanished job (its missing key or lock, once per command it tries) become one line.
  const vanishedOrOther = (listener: (error: Error) => void) => (error: Error) => {
    const key = vanishedJobId(error);
    if (key === undefined) listener(error);
    else drop(key);
  };
  watch.add({ on: (event, listener) => worker.on(event, vanishedOrOther(listener)) });
  worker.on('lockRenewalFailed', (keys: string[]) => keys.forEach(drop));
  let checking = false;
  const lockCheck = setInterval(() => {
    if (checking || running.size === 0) return;
    checking = true;
    const held = new Map(running);
    lostLocks(queue, held)
      // A job that ended while its lock was looked up lost nothing.
      .then((keys) => keys.filter((k) => running.get(k) === held.get(k)).forEach(drop))
      .catch(() => undefined) // Redis unreachable: watchRedis reports it; the next check decides.
      .finally(() => (checking = false));
  }, LOCK_CHECK_MS);
  log(
    `worker on ${redisLabel(options.url)} queue ${queueName}, ${concurrency} job(s) at a time, out ${options.out} holding ${heldStudy(options.out).text}`,
  );
  try {
    await Promise.race([aborted, watch.lost]);
  } finally {
    clearInterval(lockCheck);
    watch.stop();
    await pool.close();
    await closeRedisClients([{ close: () => worker.close(true), disconnect: () => worker.disconnect() }, queue]);
  }
}
