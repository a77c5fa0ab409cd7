/**
 * What Redis still holds of a study's queue, for the runner and the workers to notice when it lost its state:
 * a Redis restarted empty (no RDB or AOF) comes back with a new `run_id` (`INFO server`) and none of the jobs;
 * a replaced queue (another runner's obliterate) keeps the `run_id` but not the jobs. The runner then re-enqueues
 * what the folder's `done.json` files say is unfinished (`queue.ts`); a worker drops the jobs whose entries
 * vanished — its lock on a running job (`<job key>:lock`, the token BullMQ gave it) no longer holds, or BullMQ
 * reports the job or its lock missing — and stops their runs, so a re-enqueued job runs in one place only.
 */
import type { Queue } from 'bullmq';
import type { QueuedJobData } from './queue.ts';

/** How often a worker checks that its running jobs' locks still hold, ms. */
export const LOCK_CHECK_MS = 1000;

/** The Redis server's `run_id` (new at every start of the server). */
export async function redisRunId(queue: Queue): Promise<string> {
  const client = await queue.getBackend().client;
  const info = String(await client.runCommand('info', ['server']));
  const id = /^run_id:(\w+)/m.exec(info)?.[1];
  if (id === undefined) throw new Error('INFO server has no run_id');
  return id;
}

/** The job ids among `ids` whose entries (job hashes) are not on the queue. */
export async function missingJobs(queue: Queue, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const client = await queue.getBackend().client;
  const pipeline = client.pipeline();
  for (const id of ids) pipeline.runCommand('exists', [queue.toKey(id)]);
  const replies = (await pipeline.exec()) ?? [];
  return ids.filter((_, i) => replies[i]?.[0] === null && replies[i]?.[1] === 0);
}

/** The job ids of `running` (id → lock token) whose lock is no longer held with that token. */
export async function lostLocks(queue: Queue, running: ReadonlyMap<string, string>): Promise<string[]> {
  const ids = [...running.keys()];
  if (ids.length === 0) return [];
  const client = await queue.getBackend().client;
  const locks = (await client.runCommand(
    'mget',
    ids.map((id) => `${queue.toKey(id)}:lock`),
  )) as (string | null)[];
  return ids.filter((id, i) => locks[i] !== running.get(id));
}

/** BullMQ's errors saying a worker's job is no longer on the queue as the worker holds it. */
const VANISHED = [
  /^Missing key for job (\S+)\. /,
  /^Missing lock for job (\S+)\. /,
  /^Lock mismatch for job (\S+)\. /,
  /^Job (\S+) is not in the active state\. /,
  /^could not renew lock for job (\S+)$/,
];

/** The job a BullMQ error says is gone from the queue (`Missing key for job X. moveToFinished`, …), or undefined. */
export function vanishedJobId(error: Error): string | undefined {
  for (const pattern of VANISHED) {
    const m = pattern.exec(error.message);
    if (m !== null) return m[1];
  }
  return undefined;
}

/** The id of another study whose jobs are on the queue (a second runner replaced this one's), or undefined. */
export async function otherStudyOnQueue(queue: Queue<QueuedJobData>, studyId: string): Promise<string | undefined> {
  const jobs = await queue.getJobs(['wait', 'delayed', 'active', 'waiting-children', 'prioritized'], 0, 50);
  return jobs.map((j) => j.data?.study?.id).find((id) => id !== undefined && id !== studyId);
}
