/**
 * The job graph on BullMQ (Redis), for many machines that mount the same OUT folder. `runJobsOnQueue` replaces
 * what is on the queue with the graph's unfinished jobs — a FlowProducer tree in which each job's parent is the
 * first job that needs it (BullMQ runs a parent after its children), attempts with exponential backoff, a failed
 * child failing its parent — and waits, showing progress from the shared folder, until every job has finished or
 * failed. A job needed by several jobs is a child of only one of them; the others find it unfinished when they
 * start and put themselves back on the queue for a moment (BullMQ's DelayedError), so the folder's `done.json`
 * files stay the one truth of what is done. Each queued job carries its study's id and the runner's OUT lock
 * (`QueuedJobData`), so a worker runs only jobs of the study its OUT holds and records them only while this runner
 * holds OUT. Redis errors reach the user as one line (`watch-redis.ts`). Workers: `queue-worker.ts`. bullmq is
 * imported only on this path.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MultiraterError } from '../errors.ts';
import type { ProgressStream } from '../train/progress.ts';
import { specPath } from './execute-job.ts';
import { isDone, readDone, topologicalOrder, type Job } from './job.ts';
import { getJobKind } from './jobs/builtins.ts';
import { RunProgress } from './run-progress.ts';
import type { RunJobsResult } from './runner.ts';
import { STUDY_FILE, readStudyFile } from './study-file.ts';
import { acquireStudyLock, type HeldStudyLock, type StudyLock } from './study-lock.ts';
import { closeRedisClients, pingRedis, watchRedis } from './watch-redis.ts';

export const DEFAULT_QUEUE_NAME = 'multirater';

/** Where the queue is. */
export interface QueueOptions {
  /** `redis://[user:password@]HOST:PORT[/db]`. */
  url: string;
  /** BullMQ queue name; default 'multirater'. One study at a time per queue name. */
  queueName?: string;
}

export interface RunOnQueueOptions extends QueueOptions {
  out: string;
  /** Attempts per job before it fails for good; default 3. */
  attempts?: number;
  /** First retry delay, ms, doubling each attempt; default 5000. */
  backoffMs?: number;
  /** How often the folder and the queue are polled, ms; default 500. */
  pollMs?: number;
  /** Give up when Redis stays unreachable this long, ms; default 30000. */
  redisTimeoutMs?: number;
  /** The OUT lock the caller holds (`study-lock.ts`); default: taken for the run and released after. */
  lock?: StudyLock;
  signal?: AbortSignal;
  stream?: ProgressStream;
  bar?: boolean;
}

/** BullMQ connection options for a Redis URL (workers need `maxRetriesPerRequest: null`). */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MultiraterError('invalid_argument', `--queue ${url}: not a URL (expected redis://HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new MultiraterError('invalid_argument', `--queue ${url}: expected a redis:// or rediss:// URL`);
  return { url, maxRetriesPerRequest: null };
}

/** What BullMQ carries per job: the job, and whose it is (a worker refuses a job of a study its OUT does not hold). */
export interface QueuedJobData {
  job: Job;
  /** The study's id (`OUT/study.json`) and OUT as the runner names it. */
  study: { id: string; out: string };
  /** The runner's OUT lock: the job's records are written only while it holds OUT. */
  runner: StudyLock;
}

/** The FlowProducer trees of the unfinished jobs (see the file comment). */
export function flowTrees(pending: readonly Job[], queueName: string, attempts: number, backoffMs: number, owner: Omit<QueuedJobData, 'job'>): FlowNode[] {
  const keys = new Set(pending.map((j) => j.key));
  const parentOf = new Map<string, string>();
  for (const job of pending) for (const need of Object.values(job.needs)) if (keys.has(need) && !parentOf.has(need)) parentOf.set(need, job.key);
  const children = new Map<string, Job[]>();
  for (const job of pending) {
    const parent = parentOf.get(job.key);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), job]);
  }
  const node = (job: Job): FlowNode => {
    const kids = (children.get(job.key) ?? []).map(node);
    return {
      name: job.kind,
      queueName,
      data: { job, ...owner } satisfies QueuedJobData,
      opts: { jobId: job.key, attempts, backoff: { type: 'exponential', delay: backoffMs }, failParentOnFailure: true, removeOnComplete: true },
      ...(kids.length > 0 ? { children: kids } : {}),
    };
  };
  return pending.filter((j) => !parentOf.has(j.key)).map(node);
}

/** A FlowProducer node as `flowTrees` builds it. */
export interface FlowNode {
  name: string;
  queueName: string;
  data: QueuedJobData;
  opts: { jobId: string; attempts: number; backoff: { type: 'exponential'; delay: number }; failParentOnFailure: boolean; removeOnComplete: boolean };
  children?: FlowNode[];
}

/** A failure reason that says the job never ran because a job it needs failed. */
export const BLOCKED_PREFIX = 'not run: needs ';

/** Enqueues `jobs` and waits for workers to finish them; see the file comment. Takes the OUT lock unless given it. */
export async function runJobsOnQueue(jobs: readonly Job[], options: RunOnQueueOptions): Promise<RunJobsResult> {
  const started = performance.now();
  const order = topologicalOrder(jobs);
  const connection = redisConnection(options.url);
  const held: HeldStudyLock = options.lock === undefined ? acquireStudyLock(options.out) : { lock: options.lock, release: () => undefined };
  try {
    const id = readStudyFile(options.out)?.id;
    if (id === undefined) throw new MultiraterError('invalid_argument', `${join(options.out, STUDY_FILE)}: no study id; record the plan first (\`multirater study run\` does)`);
    const owner = { study: { id, out: resolve(options.out) }, runner: held.lock };
    const result = await enqueueAndWait(order, owner, connection, options);
    return { ...result, seconds: (performance.now() - started) / 1000 };
  } finally {
    held.release();
  }
}

async function enqueueAndWait(order: readonly Job[], owner: Omit<QueuedJobData, 'job'>, connection: ReturnType<typeof redisConnection>, options: RunOnQueueOptions): Promise<RunJobsResult> {
  const pending = order.filter((j) => !isDone(options.out, j.key));
  const result: RunJobsResult = { total: order.length, skipped: order.length - pending.length, ran: 0, failed: [], blocked: [], interrupted: false, seconds: 0 };
  if (pending.length === 0) return result;

  await pingRedis(options.url);
  const { FlowProducer, Queue } = await import('bullmq');
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue(queueName, { connection });
  const flows = new FlowProducer({ connection });
  // Listening before the first command: an error no one listens to, BullMQ prints as a raw object.
  const watch = watchRedis(options.url, [queue, flows], { giveUpMs: options.redisTimeoutMs });
  const work = (async () => {
    await queue.waitUntilReady();
    await queue.obliterate({ force: true });
    await flows.addBulk(flowTrees(pending, queueName, options.attempts ?? 3, options.backoffMs ?? 5000, owner));
    await poll(queue, pending, result, options);
  })();
  work.catch(() => undefined); // After a lost connection its pending Redis calls fail; the loss is reported instead.
  try {
    await Promise.race([watch.lost, work]);
  } finally {
    watch.stop();
    await closeRedisClients([flows, queue]);
  }
  return result;
}

/** Follows the queue and the folder until every pending job has finished or failed (or the run is aborted). */
async function poll(queue: import('bullmq').Queue, pending: readonly Job[], result: RunJobsResult, options: RunOnQueueOptions): Promise<void> {
  const progress = new RunProgress({ total: result.total, finished: result.skipped, workers: 1, stream: options.stream, bar: options.bar }, pending.map((j) => j.kind));
  const open = new Map(pending.map((j) => [j.key, j]));
  const seenActive = new Set<string>();
  while (open.size > 0 && !options.signal?.aborted) {
    for (const active of await queue.getJobs(['active'])) {
      const job = open.get(active.id ?? '');
      if (job !== undefined && !seenActive.has(job.key)) {
        seenActive.add(job.key);
        progress.started(job.key, job.kind, `${job.kind}: ${getJobKind(job.kind).describe(job)}`);
      }
    }
    for (const [key, job] of open) {
      const done = readDone(options.out, key);
      if (done === null) continue;
      open.delete(key);
      result.ran++;
      progress.finished(key, job.kind, done.seconds);
    }
    for (const failed of await queue.getJobs(['failed'])) {
      const job = open.get(failed.id ?? '');
      if (job === undefined || isDone(options.out, job.key)) continue;
      open.delete(job.key);
      const reason = failed.failedReason ?? 'failed';
      if (reason.startsWith(BLOCKED_PREFIX) || /child|dependenc/i.test(reason)) {
        result.blocked.push(job.key);
        progress.blocked(job.key, job.kind, reason.slice(BLOCKED_PREFIX.length) || 'a job');
      } else {
        const entry = { key: job.key, specPath: specPath(options.out, job.key), message: reason };
        result.failed.push(entry);
        progress.failedJob(job.key, job.kind, reason, entry.specPath);
      }
    }
    if (open.size > 0) await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  progress.end();
  result.interrupted = options.signal?.aborted === true && open.size > 0;
}
