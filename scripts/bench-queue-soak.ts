/**
 * Soak benchmark of the queue path (issue 29 C; `test/queue-soak.ts`): a synthetic study of 300 small jobs (100–400 ms
 * asleep plus 2,000–6,000 SHA-256 rounds, a few ms, in a random graph) run by the local runner as the reference,
 * then on BullMQ with 4 workers while a random worker is SIGKILLed every 2–5 s (and started again) and Redis is
 * killed once, at 40 % of the jobs done, kept down 1 s and started again empty. Then the same on a quiet queue (no
 * kills, no restart) for the cost of the queue itself. Prints JSON: runs per job (started, completed, started after
 * a completed run, overlapping), tables identical to the local runner's, throughput (jobs/s), the runner's CPU per
 * job and the worker time per job spent outside jobs. Usage: npx tsx scripts/bench-queue-soak.ts [--jobs N]
 * [--workers N] [--seed S] [--keep]
 */
import { runQueueSoak, type SoakResult } from '../test/queue-soak.ts';

const args = process.argv.slice(2);
const value = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const jobs = value('--jobs', 300);
const workers = value('--workers', 4);
const seed = value('--seed', 1);
const keep = args.includes('--keep');

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const summary = (r: SoakResult) => ({
  jobs: r.jobs,
  workers: r.workers,
  kills: r.kills,
  redisRestarts: r.redisRestarts,
  runs: r.runs,
  tablesIdenticalToLocal: r.tablesIdentical,
  failed: r.queue.result.failed.length,
  blocked: r.queue.result.blocked.length,
  queue: {
    seconds: round(r.queue.seconds, 2),
    jobsPerSecond: round(r.queue.jobsPerSecond, 2),
    runnerCpuMsPerJob: round(r.queue.runnerCpuMsPerJob, 2),
    slotOverheadMsPerJob: round(r.queue.slotOverheadMsPerJob, 1),
  },
  local: {
    seconds: round(r.local.seconds, 2),
    jobsPerSecond: round(r.local.jobsPerSecond, 2),
    slotOverheadMsPerJob: round(r.local.slotOverheadMsPerJob, 1),
  },
  runnerLines: r.runnerLines,
  workerDroppedLines: r.workerLines.dropped,
  workerMissingKeyErrors: r.workerLines.missingKeyErrors,
  workerOtherLines: r.workerLines.other,
  ...(keep ? { root: r.root } : {}),
});

const soak = await runQueueSoak({
  jobs,
  workers,
  seed,
  kills: Infinity,
  killEveryMs: [2000, 5000],
  redisRestartAt: 0.4,
  keep,
});
const quiet = await runQueueSoak({ jobs, workers, seed, kills: 0, killEveryMs: [0, 0], keep });
process.stdout.write(JSON.stringify({ soak: summary(soak), quiet: summary(quiet) }, null, 2) + '\n', () =>
  process.exit(0),
);
