/**
 * A synthetic study for tests and benchmarks of the runners (test/integration/queue-soak.test.ts,
 * scripts/bench-queue-soak.ts): `synthetic` jobs that sleep, hash for a few ms and record every run, in a random
 * graph drawn from a seed. Not a builtin: the runners load it by URL (`SYNTHETIC_KIND_MODULE` in their
 * `kindModules`, `loadJobKindModules`), in their own process and in every job process.
 *
 * Each run appends to `runs.log` in its job folder — `start PID MS`, and `end PID MS` once its result is
 * written, just before the runner writes `done.json` — so a test counts the runs each job started and
 * completed. A start also names any earlier run of the job still alive on this host (`overlapping PID`): a job
 * must never run in two places at once.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomic-write.ts';
import { canonicalJson, jobDir, makeJob, readDone, type Job } from '../src/experiments/job.ts';
import { needResult, type JobKind } from '../src/experiments/job-kind.ts';
import type { StudyPlan } from '../src/experiments/study.ts';
import { Rng } from '../src/random/rng.ts';

export const RUNS_FILE = 'runs.log';
export const VALUE_FILE = 'value.json';

/** This module's URL, for the runners' `kindModules`. */
export const SYNTHETIC_KIND_MODULE = import.meta.url;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Pids of this job's runs that started and did not end, still alive. */
function liveEarlierRuns(runsFile: string): number[] {
  if (!existsSync(runsFile)) return [];
  const open = new Set<number>();
  for (const line of readFileSync(runsFile, 'utf8').split('\n')) {
    const [what, pid] = line.split(' ');
    if (what === 'start') open.add(Number(pid));
    if (what === 'end') open.delete(Number(pid));
  }
  return [...open].filter((pid) => {
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/** The synthetic kind: its digest is a pure function of its spec and its needs' digests. */
export const syntheticJob: JobKind = {
  kind: 'synthetic',
  // Kept between runs so that runs.log holds every run; the value is rewritten whole by each.
  resumable: true,
  async run(job, context) {
    const runs = join(context.dir, RUNS_FILE);
    const overlapping = liveEarlierRuns(runs)
      .map((pid) => ` overlapping ${pid}`)
      .join('');
    appendFileSync(runs, `start ${process.pid} ${Date.now()}${overlapping}\n`);
    await new Promise((r) => setTimeout(r, Number(job.spec.sleepMs)));
    let digest = sha256(canonicalJson(job.spec));
    for (const role of Object.keys(job.needs).sort())
      digest = sha256(digest + String(needResult(job, context, role).digest));
    for (let i = 0; i < Number(job.spec.hashes); i++) digest = sha256(digest);
    writeFileAtomic(join(context.dir, VALUE_FILE), JSON.stringify({ digest }) + '\n');
    appendFileSync(runs, `end ${process.pid} ${Date.now()}\n`);
    return { value: VALUE_FILE, digest };
  },
  describe: (job) => `${job.spec.sleepMs} ms asleep, ${job.spec.hashes} hashes, ${Object.keys(job.needs).length} needs`,
};

/** What `loadJobKindModules` registers. */
export const jobKinds: readonly JobKind[] = [syntheticJob];

export interface SyntheticPlanOptions {
  jobs: number;
  seed?: number;
  /** Sleep per job, ms: drawn uniformly in [min, max]; default [100, 400]. */
  sleepMs?: [number, number];
  /** SHA-256 rounds per job (a few ms of work): drawn uniformly in [min, max]; default [2000, 6000]. */
  hashes?: [number, number];
}

/**
 * A random graph of `jobs` synthetic jobs: the first 40 % need nothing, each later one needs 1–3 earlier jobs
 * (so some are needed by several, and the queue's flows have both children and jobs waiting on other trees).
 */
export function planSyntheticStudy(options: SyntheticPlanOptions): StudyPlan {
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const [sleepLo, sleepHi] = options.sleepMs ?? [100, 400];
  const [hashLo, hashHi] = options.hashes ?? [2000, 6000];
  const jobs: Job[] = [];
  for (let i = 0; i < options.jobs; i++) {
    const needs: Record<string, Job> = {};
    if (i >= Math.ceil(0.4 * options.jobs)) {
      const count = 1 + rng.int(3);
      for (let n = 0; n < count; n++) {
        const need = jobs[rng.int(i)];
        if (!Object.values(needs).includes(need)) needs[`in${n}`] = need;
      }
    }
    const spec = {
      index: i,
      sleepMs: sleepLo + rng.int(sleepHi - sleepLo + 1),
      hashes: hashLo + rng.int(hashHi - hashLo + 1),
    };
    jobs.push(makeJob('synthetic', spec, needs, { needs: Object.keys(needs).length }));
  }
  return {
    study: 'synthetic',
    title: 'Synthetic jobs (runner tests)',
    preset: 'smoke',
    options: { seed },
    settings: { jobs: options.jobs, sleepMs: [sleepLo, sleepHi], hashes: [hashLo, hashHi] },
    seeds: [seed],
    jobs,
  };
}

/** The study's table: every job's digest (from done.json, checked against its value file), as CSV text. */
export function syntheticTable(out: string, plan: StudyPlan): string {
  const rows = plan.jobs.map((job) => {
    const done = readDone(out, job.key);
    if (done === null) return `${job.key},${job.tags.needs},not done`;
    const value = JSON.parse(readFileSync(join(jobDir(out, job.key), VALUE_FILE), 'utf8')) as { digest: string };
    return `${job.key},${job.tags.needs},${done.result.digest === value.digest ? value.digest : 'value.json differs from done.json'}`;
  });
  return ['job,needs,digest', ...rows].join('\n') + '\n';
}

/** The runs a job recorded in runs.log. */
export interface JobRuns {
  started: number;
  /** Runs that wrote their result (done.json follows at once). */
  completed: number;
  /** Runs started after a completed one ended: a finished job run again. */
  startedAfterCompletion: number;
  /** Runs started while an earlier run of the job was alive. */
  overlapping: number;
}

/** What `runs.log` of job `key` in `out` records. */
export function jobRuns(out: string, key: string): JobRuns {
  const file = join(jobDir(out, key), RUNS_FILE);
  const runs: JobRuns = { started: 0, completed: 0, startedAfterCompletion: 0, overlapping: 0 };
  if (!existsSync(file)) return runs;
  // Lines are appended (O_APPEND) as runs start and end, so their order is the order of events.
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const what = line.split(' ')[0];
    if (what === 'start') {
      runs.started++;
      if (runs.completed > 0) runs.startedAfterCompletion++;
      if (line.includes(' overlapping ')) runs.overlapping++;
    } else if (what === 'end') {
      runs.completed++;
    }
  }
  return runs;
}
