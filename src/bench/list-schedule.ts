/**
 * The wall time of a job graph on `slots` workers, each job taking a known time: list scheduling as the local runner
 * (`experiments/runner.ts`) and the queue do it — whenever a slot is free, the first job in plan order whose needs
 * have all finished starts on it. Greedy, not optimal: it predicts what the runner will do, not the best it could.
 */

/** A job to place: its key, the keys it needs, and its time. */
export interface ScheduledJob {
  /** The job's key, unique among the jobs placed. */
  key: string;
  /** Keys of the jobs it waits for; a key not among the jobs placed counts as already finished. */
  needs: readonly string[];
  /** Seconds. */
  seconds: number;
}

/** What `listSchedule` predicts: the wall time and when each job starts. */
export interface ListScheduleResult {
  /** Seconds from the first start to the last finish. */
  makespan: number;
  /** Start time of each job, seconds, by key. */
  starts: Map<string, number>;
}

/** Places `jobs` (in plan order; needs first, `topologicalOrder`) on `slots` slots; see the file comment. */
export function listSchedule(jobs: readonly ScheduledJob[], slots: number): ListScheduleResult {
  if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`slots must be a positive integer, got ${slots}`);
  const keys = new Set(jobs.map((j) => j.key));
  const pending = [...jobs];
  const finishAt = new Map<string, number>();
  const starts = new Map<string, number>();
  /** End times of the running jobs. */
  const running: { key: string; end: number }[] = [];
  let now = 0;
  while (pending.length > 0 || running.length > 0) {
    for (let i = 0; i < pending.length && running.length < slots;) {
      const job = pending[i];
      const ready = job.needs.every((k) => !keys.has(k) || (finishAt.get(k) ?? Infinity) <= now);
      if (!ready) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      starts.set(job.key, now);
      running.push({ key: job.key, end: now + job.seconds });
    }
    if (running.length === 0) throw new RangeError(`jobs ${pending.map((j) => j.key).join(', ')} can never start`);
    now = Math.min(...running.map((r) => r.end));
    for (let i = running.length - 1; i >= 0; i--) {
      if (running[i].end <= now) {
        finishAt.set(running[i].key, running[i].end);
        running.splice(i, 1);
      }
    }
  }
  return { makespan: now, starts };
}
