/**
 * A soak run of the queue path (issue 29 C): a synthetic study (`synthetic-study.ts`) run once by the local runner
 * as the reference, then by `study run --queue`'s runner with N workers (`queue-soak-process.ts`) while workers
 * are SIGKILLed at random every few seconds (and started again) and Redis is killed once, stays down a second
 * and is started again empty (no RDB, no AOF). It ends with what each job's runs.log records — runs started, completed, started after
 * a completed run, overlapping — the tables of both runs, throughput and the runner's cost per job. Used by
 * test/integration/queue-soak.test.ts (short) and scripts/bench-queue-soak.ts (300 jobs, 4 workers).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { jobsDir, readDone } from '../src/experiments/job.ts';
import type { RunJobsResult } from '../src/experiments/runner.ts';
import { runJobs } from '../src/experiments/runner.ts';
import { writeStudyFile } from '../src/experiments/study-file.ts';
import type { StudyPlan } from '../src/experiments/study.ts';
import { Rng } from '../src/random/rng.ts';
import {
  jobRuns,
  planSyntheticStudy,
  SYNTHETIC_KIND_MODULE,
  syntheticTable,
  type SyntheticPlanOptions,
} from './synthetic-study.ts';
import { freePort, killGroup, sleep, startProcess, startRedis, type Proc } from './processes.ts';

const PROCESS_SCRIPT = fileURLToPath(new URL('./queue-soak-process.ts', import.meta.url));
const TSX = import.meta.resolve('tsx/esm');

export interface SoakOptions extends SyntheticPlanOptions {
  /** Worker processes (one job at a time each). */
  workers: number;
  /** Workers SIGKILLed (and started again) during the run, at most. */
  kills: number;
  /** Time between kills, ms: drawn uniformly in [min, max]. */
  killEveryMs: [number, number];
  /** Kill Redis and start it again empty once this fraction of the jobs is done and a job is mid-run (omit: never). */
  redisRestartAt?: number;
  /** How long Redis stays down at the restart, ms; default 1000. */
  redisDownMs?: number;
  /** What Redis loses at `redisRestartAt`: a restart (default), or FLUSHALL (a new queue state, the same run_id). */
  redisLoss?: 'restart' | 'flushall';
  /** Parent folder of the run's files; default the OS temp folder (removed afterwards unless `keep`). */
  root?: string;
  keep?: boolean;
}

/** One run of the jobs: wall time and throughput. */
export interface SoakRun {
  seconds: number;
  jobsPerSecond: number;
  /** Worker time per job not spent inside a job's run: (wall × workers − Σ done.json seconds) / jobs, ms. */
  slotOverheadMsPerJob: number;
}

export interface SoakResult {
  jobs: number;
  workers: number;
  kills: number;
  /** Restarts of Redis (or FLUSHALLs, with `redisLoss: 'flushall'`). */
  redisRestarts: number;
  local: SoakRun;
  queue: SoakRun & {
    /** CPU time of the runner process per job, ms (planning aside: it reads study.json). */
    runnerCpuMsPerJob: number;
    result: RunJobsResult;
  };
  runs: {
    started: number;
    completed: number;
    /** Jobs by the number of runs they completed / started. */
    completedPerJob: Record<string, number>;
    startedPerJob: Record<string, number>;
    startedAfterCompletion: number;
    overlapping: number;
    notDone: number;
  };
  tablesIdentical: boolean;
  /** The runner's lines other than job starts, ends and the bar. */
  runnerLines: string[];
  /**
   * The workers' lines about jobs dropped from the queue, the number of BullMQ errors about a missing key or lock
   * among their lines, and their lines other than job starts, ends, drops and their first line.
   */
  workerLines: { dropped: string[]; missingKeyErrors: number; other: string[] };
  /** Where the run's files are (removed unless `keep`). */
  root: string;
}

/** A runner or a worker of the synthetic study in `out` (`queue-soak-process.ts`). */
export const startSoakProcess = (name: 'runner' | 'worker', out: string, url: string): Proc =>
  startProcess(process.execPath, ['--import', TSX, PROCESS_SCRIPT, name, '--out', out, '--queue', url]);

/** Empties Redis without restarting it. */
async function flushAll(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/** True when a job not done has a run started and not ended. */
function midRun(out: string, plan: StudyPlan): boolean {
  return plan.jobs.some((j) => {
    if (existsSync(join(jobsDir(out), j.key, 'done.json'))) return false;
    const runs = jobRuns(out, j.key);
    return runs.started > runs.completed;
  });
}

const doneCount = (out: string, plan: StudyPlan): number =>
  plan.jobs.filter((j) => existsSync(join(jobsDir(out), j.key, 'done.json'))).length;

function slotOverhead(out: string, plan: StudyPlan, seconds: number, workers: number): number {
  const inJobs = plan.jobs.reduce((s, j) => s + (readDone(out, j.key)?.seconds ?? 0), 0);
  return ((seconds * workers - inJobs) / plan.jobs.length) * 1000;
}

function histogram(values: number[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const v of values) h[v] = (h[v] ?? 0) + 1;
  return h;
}

/** Runs the soak; see the file comment. */
export async function runQueueSoak(options: SoakOptions): Promise<SoakResult> {
  const root = mkdtempSync(join(options.root ?? tmpdir(), 'multirater-queue-soak-'));
  const procs: Proc[] = [];
  try {
    const plan = planSyntheticStudy(options);
    const n = plan.jobs.length;

    const localOut = join(root, 'local');
    mkdirSync(localOut);
    const t0 = performance.now();
    const localResult = await runJobs(plan.jobs, {
      out: localOut,
      workers: options.workers,
      threads: 1,
      kindModules: [SYNTHETIC_KIND_MODULE],
      bar: false,
      stream: { write: () => true },
    });
    const localSeconds = (performance.now() - t0) / 1000;
    if (localResult.ran !== n) throw new Error(`the local reference ran ${localResult.ran} of ${n} jobs`);

    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = await startRedis(port, root);
    procs.push(redis);
    const out = join(root, 'queue');
    mkdirSync(out);
    writeStudyFile(out, plan);
    const runner = startSoakProcess('runner', out, url);
    procs.push(runner);
    const workers: Proc[] = [];
    const allWorkers: Proc[] = [];
    for (let i = 0; i < options.workers; i++) {
      workers.push(startSoakProcess('worker', out, url));
      allWorkers.push(workers[i]);
    }
    procs.push(...workers);

    // The chaos: kills at random times (seeded), one Redis restart when enough jobs are done.
    const rng = new Rng((options.seed ?? 1) * 7919 + 17);
    const nextGap = (): number => rng.range(options.killEveryMs[0], options.killEveryMs[1]);
    let kills = 0;
    let restarts = 0;
    let nextKill = performance.now() + nextGap();
    let runnerDone = false;
    void runner.exit.then(() => (runnerDone = true));
    while (!runnerDone) {
      await sleep(100);
      const done = doneCount(out, plan);
      if (kills < options.kills && performance.now() >= nextKill && done > 0 && done < n) {
        const victim = rng.int(workers.length);
        workers[victim].child.kill('SIGKILL'); // The worker only: its job process must notice and die on its own.
        workers[victim] = startSoakProcess('worker', out, url);
        allWorkers.push(workers[victim]);
        procs.push(workers[victim]);
        kills++;
        nextKill = performance.now() + nextGap();
      }
      // Not while a worker starts: a worker refuses to start without Redis (one line, exit 1), as it should.
      const allUp = workers.every((w) => w.stderr.includes('worker on '));
      if (
        options.redisRestartAt !== undefined &&
        restarts === 0 &&
        allUp &&
        done >= options.redisRestartAt * n &&
        midRun(out, plan)
      ) {
        if (options.redisLoss === 'flushall') {
          await flushAll(url);
        } else {
          redis.child.kill('SIGKILL');
          await redis.exit;
          await sleep(options.redisDownMs ?? 1000);
          redis = await startRedis(port, root);
          procs.push(redis);
        }
        restarts++;
      }
    }
    await runner.exit;
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.race([Promise.all(workers.map((w) => w.exit)), sleep(10_000)]);

    const report = JSON.parse(runner.stdout.trim().split('\n').pop() ?? 'null') as {
      result: RunJobsResult;
      wallMs: number;
      cpuMs: number;
    } | null;
    if (report === null) throw new Error(`the runner printed no result:\n${runner.stderr}`);
    const queueSeconds = report.wallMs / 1000;
    const runs = plan.jobs.map((j) => jobRuns(out, j.key));
    const workerText = allWorkers.map((w) => w.stderr).join('\n');
    return {
      jobs: n,
      workers: options.workers,
      kills,
      redisRestarts: restarts,
      local: {
        seconds: localSeconds,
        jobsPerSecond: n / localSeconds,
        slotOverheadMsPerJob: slotOverhead(localOut, plan, localSeconds, options.workers),
      },
      queue: {
        seconds: queueSeconds,
        jobsPerSecond: n / queueSeconds,
        slotOverheadMsPerJob: slotOverhead(out, plan, queueSeconds, options.workers),
        runnerCpuMsPerJob: report.cpuMs / n,
        result: report.result,
      },
      runs: {
        started: runs.reduce((s, r) => s + r.started, 0),
        completed: runs.reduce((s, r) => s + r.completed, 0),
        completedPerJob: histogram(runs.map((r) => r.completed)),
        startedPerJob: histogram(runs.map((r) => r.started)),
        startedAfterCompletion: runs.reduce((s, r) => s + r.startedAfterCompletion, 0),
        overlapping: runs.reduce((s, r) => s + r.overlapping, 0),
        notDone: n - doneCount(out, plan),
      },
      tablesIdentical: syntheticTable(out, plan) === syntheticTable(localOut, plan),
      runnerLines: runner.stderr.split('\n').filter((l) => l !== '' && !/^[▶✓[]/.test(l)),
      workerLines: {
        dropped: workerText.split('\n').filter((l) => l.startsWith('■ ')),
        missingKeyErrors: (workerText.match(/Missing (key|lock)|could not renew lock|Lock mismatch/g) ?? []).length,
        other: workerText.split('\n').filter((l) => l !== '' && !/^(▶|✓|■|worker on )/.test(l)),
      },
      root,
    };
  } finally {
    for (const p of procs) killGroup(p);
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}
