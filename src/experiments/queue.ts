/**
 * The job graph on BullMQ (Redis), for many machines that mount the same OUT folder. `runJobsOnQueue` replaces
 * what is on the queue with the graph's unfinished jobs — a FlowProducer tree in which each job's parent is the
 * first job that needs it (BullMQ runs a parent after its children), attempts with exponential backoff, a failed
 * child failing its parent — and waits, showing progress from the shared folder, until every job has finished or
 * failed. A job needed by several jobs is a child of only one of them; the others find it unfinished when they
 * start and put themselves back on the queue for a moment (BullMQ's DelayedError), so the folder's `done.json`
 * files stay the one truth of what is done. Each queued job carries its study's id and the runner's OUT lock
 * (`QueuedJobData`), so a worker runs only jobs of the study its OUT holds and records them only while this runner
 * holds OUT. Redis errors reach the user as one line (`watch-redis.ts`). When the queue loses its state — Redis
 * restarted empty (a new `run_id`), or unfinished jobs vanished from it (`queue-state.ts`) — the runner says so in
 * one line and, after the workers have stopped the runs they lost (`REQUEUE_WAIT_MS`), enqueues again the jobs the
 * folder's `done.json` files do not have as done. Workers: `queue-worker.ts`. bullmq is imported only on this path.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Queue } from 'bullmq';
import { MultiraterError } from '../errors.ts';
import type { ProgressStream } from '../train/index.ts';
import { specPath } from './execute-job.ts';
import { isDone, readDone, topologicalOrder, type Job } from './job.ts';
import { getJobKind, loadJobKindModules } from './jobs/builtins.ts';
import { RunProgress } from './run-progress.ts';
import type { RunJobsResult } from './runner.ts';
import { STUDY_FILE, readStudyFile } from './study-file.ts';
import { acquireStudyLock, type HeldStudyLock, type StudyLock } from './study-lock.ts';
import { LOCK_CHECK_MS, missingJobs, otherStudyOnQueue, redisRunId } from './queue-state.ts';
import { closeRedisClients, pingRedis, redisLabel, watchRedis } from './watch-redis.ts';

/** The BullMQ queue name when `QueueOptions.queueName` is not given. */
export const DEFAULT_QUEUE_NAME = 'multirater';

/** Where the queue is. */
export interface QueueOptions {
  /** `redis://[user:password@]HOST:PORT[/db]`. */
  url: string;
  /** BullMQ queue name; default 'multirater'. One study at a time per queue name. */
  queueName?: string;
}

/** Options of `runJobsOnQueue` (`study run --queue`): the queue, OUT, retries, polling and progress output. */
export interface RunOnQueueOptions extends QueueOptions {
  /** The study's output folder, shared with the workers (the same folder, as this machine mounts it). */
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
  /** Modules of job kinds beyond the builtins (tests and benchmarks; `loadJobKindModules`). */
  kindModules?: readonly string[];
  /** Stops following the queue: the jobs stay queued, and the result says `interrupted` when some had not finished. */
  signal?: AbortSignal;
  /** Where job lines and the progress bar go; default stderr. */
  stream?: ProgressStream;
  /** Redraw the bar in place; default when `stream` is a terminal. */
  bar?: boolean;
}

/**
 * BullMQ connection options for a Redis URL (workers need `maxRetriesPerRequest: null`). Reconnecting every second
 * (BullMQ's default backs off to 20 s) lets the runner and the workers find a restarted Redis within a second of
 * each other, which the runner's wait before it re-enqueues relies on.
 */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null; retryStrategy: () => number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MultiraterError('invalid_argument', `options.queue ${url}: not a URL (expected redis://HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new MultiraterError('invalid_argument', `options.queue ${url}: expected a redis:// or rediss:// URL`);
  return { url, maxRetriesPerRequest: null, retryStrategy: () => RECONNECT_MS };
}

/** How often a lost Redis connection is retried, ms. */
const RECONNECT_MS = 1000;

/** What BullMQ carries per job: the job, and whose it is (a worker refuses a job of a study its OUT does not hold). */
export interface QueuedJobData {
  /** The job to run, as planned. */
  job: Job;
  /** The study's id (`OUT/study.json`) and OUT as the runner names it. */
  study: { id: string; out: string };
  /** The runner's OUT lock: the job's records are written only while it holds OUT. */
  runner: StudyLock;
}

/** The FlowProducer trees of the unfinished jobs (see the file comment). */
export function flowTrees(
  pending: readonly Job[],
  queueName: string,
  attempts: number,
  backoffMs: number,
  owner: Omit<QueuedJobData, 'job'>,
): FlowNode[] {
  const keys = new Set(pending.map((j) => j.key));
  const parentOf = new Map<string, string>();
  for (const job of pending)
    for (const need of Object.values(job.needs)) if (keys.has(need) && !parentOf.has(need)) parentOf.set(need, job.key);
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
      opts: {
        jobId: job.key,
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        failParentOnFailure: true,
        removeOnComplete: true,
      },
      ...(kids.length > 0 ? { children: kids } : {}),
    };
  };
  return pending.filter((j) => !parentOf.has(j.key)).map(node);
}

/** A FlowProducer node as `flowTrees` builds it. */
export interface FlowNode {
  /** BullMQ job name: the job's kind. */
  name: string;
  /** The queue it goes on (`QueueOptions.queueName`). */
  queueName: string;
  /** The job and its owner (study id, OUT, runner lock). */
  data: QueuedJobData;
  /**
   * BullMQ job options: id = job key, attempts with exponential backoff, a failure fails the parent, removed once
   * complete.
   */
  opts: {
    jobId: string;
    attempts: number;
    backoff: { type: 'exponential'; delay: number };
    failParentOnFailure: boolean;
    removeOnComplete: boolean;
  };
  /** The jobs this one is the first to need; BullMQ runs them before it. Absent when none. */
  children?: FlowNode[];
}

/** A failure reason that says the job never ran because a job it needs failed. */
export const BLOCKED_PREFIX = 'not run: needs ';

/** Enqueues `jobs` and waits for workers to finish them; see the file comment. Takes the OUT lock unless given it. */
export async function runJobsOnQueue(jobs: readonly Job[], options: RunOnQueueOptions): Promise<RunJobsResult> {
  const started = performance.now();
  const order = topologicalOrder(jobs);
  const connection = redisConnection(options.url);
  const held: HeldStudyLock =
    options.lock === undefined ? acquireStudyLock(options.out) : { lock: options.lock, release: () => undefined };
  try {
    const id = readStudyFile(options.out)?.id;
    if (id === undefined)
      throw new MultiraterError(
        'invalid_argument',
        `${join(options.out, STUDY_FILE)}: no study id; record the plan first (\`multirater study run\` does)`,
      );
    const owner = { study: { id, out: resolve(options.out) }, runner: held.lock };
    const result = await enqueueAndWait(order, owner, connection, options);
    return { ...result, seconds: (performance.now() - started) / 1000 };
  } finally {
    held.release();
  }
}

async function enqueueAndWait(
  order: readonly Job[],
  owner: Omit<QueuedJobData, 'job'>,
  connection: ReturnType<typeof redisConnection>,
  options: RunOnQueueOptions,
): Promise<RunJobsResult> {
  const pending = order.filter((j) => !isDone(options.out, j.key));
  const result: RunJobsResult = {
    total: order.length,
    skipped: order.length - pending.length,
    ran: 0,
    failed: [],
    blocked: [],
    interrupted: false,
    seconds: 0,
  };
  if (pending.length === 0) return result;

  await loadJobKindModules(options.kindModules ?? []);
  await pingRedis(options.url);
  const { FlowProducer, Queue } = await import('bullmq');
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue<QueuedJobData>(queueName, { connection });
  const flows = new FlowProducer({ connection });
  // Listening before the first command: an error no one listens to, BullMQ prints as a raw object.
  const watch = watchRedis(options.url, [queue, flows], { giveUpMs: options.redisTimeoutMs });
  const enqueue = async (jobs: readonly Job[]): Promise<string> => {
    // The run_id first: a restart between it and the jobs is then seen as one, and they are enqueued again.
    const runId = await redisRunId(queue);
    await queue.obliterate({ force: true });
    await flows.addBulk(flowTrees(jobs, queueName, options.attempts ?? 3, options.backoffMs ?? 5000, owner));
    return runId;
  };
  const work = (async () => {
    await queue.waitUntilReady();
    await poll({ queue, order, pending, result, options, studyId: owner.study.id, enqueue });
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

/**
 * How long the runner waits between finding the queue's state lost and enqueuing the unfinished jobs again, ms:
 * time for every worker to find its running jobs' locks gone and stop them (`LOCK_CHECK_MS`), so that no job runs
 * in two places, and for a job that finished meanwhile to be seen as done.
 */
export const REQUEUE_WAIT_MS = 3 * LOCK_CHECK_MS;

interface PollContext {
  queue: Queue<QueuedJobData>;
  /** Every job of the plan, in order. */
  order: readonly Job[];
  /** The jobs this run waits for. */
  pending: readonly Job[];
  result: RunJobsResult;
  options: RunOnQueueOptions;
  studyId: string;
  /** Replaces the queue's content with the FlowProducer trees of `jobs`; resolves to Redis's run_id before. */
  enqueue: (jobs: readonly Job[]) => Promise<string>;
}

/**
 * Enqueues the pending jobs and follows the queue and the folder until each has finished or failed (or the run is
 * aborted). When the queue's state is lost (`lostQueueState`) the unfinished jobs are enqueued again.
 */
async function poll({ queue, order, pending, result, options, studyId, enqueue }: PollContext): Promise<void> {
  const progress = new RunProgress(
    { total: result.total, finished: result.skipped, workers: 1, stream: options.stream, bar: options.bar },
    pending.map((j) => j.kind),
  );
  const open = new Map(pending.map((j) => [j.key, j]));
  const seenActive = new Set<string>();
  let runId = await enqueue(pending);
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
    if (open.size === 0) break;
    const lost = await lostQueueState(queue, runId, [...open.keys()], { out: options.out, studyId, url: options.url });
    if (lost === null) {
      await sleep(options.pollMs ?? 500);
      continue;
    }
    await sleep(REQUEUE_WAIT_MS);
    await refuseOtherStudy(queue, studyId, options.url);
    const unfinished = [...open.values()].filter((j) => !isDone(options.out, j.key));
    runId = await enqueue(unfinished);
    for (const job of unfinished) seenActive.delete(job.key);
    const onDisk = order.filter((j) => isDone(options.out, j.key)).length;
    progress.line(
      `${lost}: ${onDisk} of ${order.length} jobs done on disk (done.json); re-enqueued the ${unfinished.length} unfinished`,
    );
  }
  progress.end();
  result.interrupted = options.signal?.aborted === true && open.size > 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Why the queue no longer holds this run's jobs — Redis restarted (its run_id changed), or jobs the folder does
 * not have as done are gone from the queue — or null while it does.
 */
async function lostQueueState(
  queue: Queue<QueuedJobData>,
  runId: string,
  open: readonly string[],
  at: { out: string; studyId: string; url: string },
): Promise<string | null> {
  const label = redisLabel(at.url);
  if ((await redisRunId(queue)) !== runId) return `${label} restarted (a new run_id) and lost the queue`;
  // A job leaves the queue only after its done.json is written, so one gone and not done was lost.
  const gone = (await missingJobs(queue, open)).filter((key) => !isDone(at.out, key));
  if (gone.length === 0) return null;
  await refuseOtherStudy(queue, at.studyId, at.url);
  return `${label} queue ${queue.name}: ${gone.length} unfinished job(s) gone from the queue (${gone[0]}${gone.length > 1 ? ', …' : ''})`;
}

/** Jobs of another study on the queue mean a second runner took the queue name: an error, not a reason to take it back. */
async function refuseOtherStudy(queue: Queue<QueuedJobData>, studyId: string, url: string): Promise<void> {
  const other = await otherStudyOnQueue(queue, studyId);
  if (other === undefined) return;
  throw new MultiraterError(
    'io_error',
    `${redisLabel(url)} queue ${queue.name}: now holds the jobs of study ${other} (another \`study run --queue\` on this queue name replaced this study's); give each study its own options.queueName`,
  );
}
