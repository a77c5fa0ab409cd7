/**
 * `study plan NAME --estimate` (issue 28 §5): the CPU time per job kind and the wall time of a study on N machines × W
 * workers, predicted from a short calibration on this machine run with the runner's own job code (`executeJob`).
 *
 * - simulate jobs run for real into `OUT/jobs/<key>/` (done.json and all), so `study run` reuses them; their measured
 *   seconds are their estimate.
 * - training kinds (`TRAINING_KINDS`): one calibration copy per cost class (`job-cost-class.ts`), the class's first
 *   job with a short schedule (`CALIBRATION_SCHEDULE`, or `calibrationSchedule(calibrationSteps)`); its `progress()` calls (one per step) are timestamped:
 *   step = median interval, validation and checkpoint = mean excess of the intervals holding one, fixed = the rest
 *   of the job's seconds (start-up, warm-up, export). A job of the class is predicted as fixed + iterations × step
 *   + validations × validation + checkpoints × checkpoint.
 * - other kinds: the class's first job runs once, and its seconds are every job's of the class.
 *
 * Calibration jobs live in one job folder of their own, `OUT/estimate/calibration/` (the simulate jobs linked in
 * from OUT/jobs), so a calibration job that needs another (a predict on a calibration model, an evaluate on that
 * predict) finds it by the folder contract; a need is always replaced by its class's calibration job.
 * `OUT/estimate/calibration.json` caches each class's timings keyed by class and machine (CPU model, CPUs, threads
 * per job): a second estimate calibrates nothing; `recalibrate` empties the cache and the calibration folder.
 * The wall time list-schedules the plan onto machines × workers slots (`listSchedule`), each job taking its
 * predicted seconds at the threads a worker gets (cores / workers, as `study run`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { usableCpus } from '../cores.ts';
import { MultiraterError } from '../errors.ts';
import {
  executeJob,
  jobDir,
  makeJob,
  readDone,
  threadsPerWorker,
  topologicalOrder,
  type Job,
  type StudyPlan,
} from '../experiments/index.ts';
import { writeFileAtomic } from '../io/index.ts';
import { jobCostClasses, TRAINING_KINDS, trainingSchedule } from './job-cost-class.ts';
import { listSchedule } from './list-schedule.ts';

/** Options of `estimateStudy` (`study plan NAME --estimate`): where it calibrates and the machines it predicts for. */
export interface EstimateStudyOptions {
  /** The study's output folder (OUT): simulate jobs go to OUT/jobs, the calibration to OUT/estimate. */
  out: string;
  /** Machines the study is spread over, each like this one; default 1. */
  machines?: number;
  /** Jobs at once per machine; default 1 (as `study run`). */
  workers?: number;
  /** ONNX Runtime threads per job; default all cores with one worker, ⌊cores / workers⌋ with more (as `study run`). */
  threads?: number;
  /** Forget the cached calibration and calibrate again. */
  recalibrate?: boolean;
  /**
   * Optimiser steps of each training class's calibration copy (`calibrationSchedule`); default 40. A class already in
   * the cache is not calibrated again, whatever its steps were.
   */
  calibrationSteps?: number;
  /** Told of each simulate job run and each class calibrated (for stderr); default: nothing. */
  onProgress?: (event: EstimateEvent) => void;
}

/** What the estimate is doing (for stderr). */
export type EstimateEvent =
  | {
      /** A simulate job of the plan, run for real into OUT/jobs (or already finished there). */
      type: 'simulate';
      /** The simulate job's key in the plan. */
      key: string;
      /** 'done' when run now, 'skipped' when it had already finished. */
      status: 'done' | 'skipped';
      /** Its done.json's wall time, seconds (the earlier run's when skipped). */
      seconds: number;
    }
  | {
      /** A class's calibration job is about to run (class not cached, or its calibration folder gone). */
      type: 'calibrate';
      /** The job kind of the class. */
      kind: string;
      /** The cost class (16 hex digits, `jobCostClasses`). */
      costClass: string;
      /** The calibration job's key, under OUT/estimate/calibration/jobs. */
      key: string;
    }
  | {
      /** A class's calibration job finished and its timings were cached. */
      type: 'calibrated';
      /** The job kind of the class. */
      kind: string;
      /** The cost class (16 hex digits, `jobCostClasses`). */
      costClass: string;
      /** The calibration job's wall time, seconds. */
      seconds: number;
    };

/** How a job's seconds were predicted. */
export type EstimateMethod = 'measured' | 'per-step' | 'one-run';

/** A class's timings on one machine (`calibration.json`). */
export type CalibrationEntry =
  | {
      /** A training kind's class: fixed + iterations × step + validations × validation + checkpoints × checkpoint. */
      method: 'per-step';
      /** The job kind of the class. */
      kind: string;
      /** Median seconds of one optimiser step. */
      stepSeconds: number;
      /** Seconds one validation adds. */
      validationSeconds: number;
      /** Seconds one checkpoint adds. */
      checkpointSeconds: number;
      /** Seconds of the job outside its steps and validations (start-up, warm-up, export). */
      fixedSeconds: number;
      /** The calibration copy's iterations. */
      iterations: number;
      /** The calibration copy's own seconds. */
      seconds: number;
      /** When it was calibrated, ISO 8601 (UTC). */
      at: string;
    }
  | {
      /** Any other kind's class: every job of the class takes the one run's seconds. */
      method: 'one-run';
      /** The job kind of the class. */
      kind: string;
      /** Wall time of the class's one calibration run, seconds. */
      seconds: number;
      /** When it was calibrated, ISO 8601 (UTC). */
      at: string;
    };

/** One job's predicted seconds. */
export interface JobEstimate {
  /** The job's key in the plan. */
  key: string;
  /** The job's kind ('train', 'simulate', …). */
  kind: string;
  /** Its cost class (16 hex digits, `jobCostClasses`). */
  costClass: string;
  /** Predicted seconds of the job at `threads`. */
  seconds: number;
  /** 'measured' (a simulate job, run for real), 'per-step' (a training kind) or 'one-run' (its class's one run). */
  method: EstimateMethod;
}

/** How each method reads in a table's "estimated by" column (the CLI's and the docs'). */
export const ESTIMATE_METHOD_LABELS: Readonly<Record<EstimateMethod, string>> = {
  measured: 'run for real',
  'per-step': 'per-step model',
  'one-run': 'one run per class',
};

/** The predicted seconds of one job kind, summed over the plan's jobs of that kind. */
export interface KindEstimate {
  /** The job kind. */
  kind: string;
  /** Jobs of the kind in the plan. */
  jobs: number;
  /** Sum of the jobs' predicted seconds (the report's `wallSecondsByKind` measures the same sum). */
  seconds: number;
  /** Share of the study's job-seconds, 0…1. */
  share: number;
  /** How the kind's first job in plan order was predicted. */
  method: EstimateMethod;
}

/** What `estimateStudy` returns (and `study plan --estimate --json` prints). */
export interface StudyEstimate {
  /** Version of this shape; 1. */
  schemaVersion: 1;
  /** The plan's study name. */
  study: string;
  /** The plan's preset. */
  preset: string;
  /** Machines the wall time is predicted for. */
  machines: number;
  /** Jobs at once per machine. */
  workers: number;
  /** Threads per job the calibration ran at (null: ONNX Runtime's default, every core). */
  threads: number | null;
  /** This machine, the one calibrated on: CPU model and usable CPUs (affinity capped by the cgroup quota). */
  machine: {
    /** The first CPU's model name, as the OS reports it (`unknown CPU` when none is listed). */
    cpu: string;
    /** CPUs the process could use (affinity capped by the cgroup quota). */
    cpus: number;
  };
  /** Per job kind, in the order the kinds first appear in the plan's topological order. */
  kinds: KindEstimate[];
  /** Per job, in topological order (seconds rounded to 1 ms). */
  jobs: JobEstimate[];
  /** Sum of every job's predicted seconds. */
  jobSeconds: number;
  /** Predicted wall time on machines × workers slots, seconds. */
  wallSeconds: number;
  /** What the calibration cost and where it is cached. */
  calibration: {
    /** The cache, OUT/estimate/calibration.json (absolute). */
    file: string;
    /** Cost classes of the plan (simulate jobs not counted). */
    classes: number;
    /** Classes calibrated by this call (0: all from the cache). */
    calibrated: number;
    /** Seconds this call spent running simulate and calibration jobs. */
    seconds: number;
    /** 1-minute load average before and after (the machine may be shared). */
    load: [number, number];
  };
}

interface CalibrationFile {
  schemaVersion: 1;
  entries: Record<string, CalibrationEntry>;
}

/** `OUT/estimate`. */
export const ESTIMATE_DIR = 'estimate';

/** The cache of class timings in OUT. */
export function calibrationFile(out: string): string {
  return join(out, ESTIMATE_DIR, 'calibration.json');
}

function readCalibration(path: string): CalibrationFile {
  if (!existsSync(path)) return { schemaVersion: 1, entries: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CalibrationFile;
    if (parsed.schemaVersion === 1 && typeof parsed.entries === 'object') return parsed;
  } catch {
    // an unreadable cache is calibrated again
  }
  return { schemaVersion: 1, entries: {} };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The calibration copy of a training job: 40 iterations, validating every 8 and checkpointing every 5, so that no
 * step before the last both validates and checkpoints: 4 intervals time a validation, 7 a checkpoint, 28 a plain step.
 */
export const CALIBRATION_SCHEDULE: CalibrationSchedule = { iterations: 40, validateEvery: 8, checkpointEvery: 5 };

/** The fewest steps a calibration copy may take: two plain intervals, one validating, one checkpointing, and a last. */
export const MIN_CALIBRATION_STEPS = 6;

/** How a training job's calibration copy runs. */
export interface CalibrationSchedule {
  /** Optimiser steps of the calibration copy. */
  readonly iterations: number;
  /** Steps between validations. */
  readonly validateEvery: number;
  /** Steps between checkpoints. */
  readonly checkpointEvery: number;
}

/**
 * The calibration schedule of `steps` iterations (≥ `MIN_CALIBRATION_STEPS`): validations every max(3, round(steps
 * / 5)) and checkpoints every max(4, round(steps / 8)) iterations (one more than the validation period when one
 * period divides the other), so that steps 1 and 2 are plain and some interval before the last times a validation
 * alone and another a checkpoint alone. 40 steps: every 8 and 5; 6 steps: every 3 and 4. Fewer steps calibrate a
 * slow network (a paper preset's) sooner and time its step from fewer intervals.
 */
export function calibrationSchedule(steps: number): CalibrationSchedule {
  if (!(Number.isInteger(steps) && steps >= MIN_CALIBRATION_STEPS))
    throw new MultiraterError(
      'invalid_argument',
      `options.calibrationSteps must be an integer ≥ ${MIN_CALIBRATION_STEPS}, got ${steps}`,
    );
  const validateEvery = Math.max(3, Math.round(steps / 5));
  let checkpointEvery = Math.max(4, Math.round(steps / 8));
  if (checkpointEvery % validateEvery === 0 || validateEvery % checkpointEvery === 0)
    checkpointEvery = validateEvery + 1;
  return { iterations: steps, validateEvery, checkpointEvery };
}

/** Seconds of a step, a validation and a checkpoint, and of what is left (start-up, warm-up, export). */
export interface PerStepTimings {
  /** Median seconds of a plain step (one without a validation or checkpoint). */
  stepSeconds: number;
  /** Mean seconds one validation adds to its step (0 when none was timed, never negative). */
  validationSeconds: number;
  /** Mean seconds one checkpoint adds to its step (0 when none was timed, never negative). */
  checkpointSeconds: number;
  /** The job's seconds left over from steps, validations and checkpoints (start-up, warm-up, export), ≥ 0. */
  fixedSeconds: number;
}

/**
 * Per-step timings from the times (seconds) of a training job's progress calls, one after each step, and its total
 * seconds. Call k (1-based) follows iteration k; a validation or checkpoint after iteration k (k a multiple of its
 * period) falls in the interval from call k to call k + 1, those after the last iteration after the last call.
 * Step = median of the plain intervals; validation (checkpoint) = mean excess of the intervals holding only one.
 */
export function perStepTimings(
  times: readonly number[],
  totalSeconds: number,
  schedule: { validateEvery: number | null; checkpointEvery: number | null },
): PerStepTimings {
  const n = times.length;
  const on = (k: number, every: number | null): boolean => every !== null && k % every === 0;
  const plain: number[] = [];
  const validating: number[] = [];
  const checkpointing: number[] = [];
  for (let k = 1; k < n; k++) {
    const interval = times[k] - times[k - 1];
    const v = on(k, schedule.validateEvery);
    const c = on(k, schedule.checkpointEvery);
    if (!v && !c) plain.push(interval);
    else if (v && !c) validating.push(interval);
    else if (c && !v) checkpointing.push(interval);
  }
  if (plain.length < 2)
    throw new MultiraterError('invalid_argument', `a training calibration needs ≥ 2 plain steps, got ${plain.length}`);
  const stepSeconds = median(plain);
  const excess = (xs: readonly number[]): number =>
    xs.length === 0 ? 0 : Math.max(0, xs.reduce((a, b) => a + b, 0) / xs.length - stepSeconds);
  const validationSeconds = excess(validating);
  const checkpointSeconds = excess(checkpointing);
  const count = (every: number | null): number => (every === null ? 0 : Math.ceil(n / every));
  const fixedSeconds = Math.max(
    0,
    totalSeconds -
      n * stepSeconds -
      count(schedule.validateEvery) * validationSeconds -
      count(schedule.checkpointEvery) * checkpointSeconds,
  );
  return { stepSeconds, validationSeconds, checkpointSeconds, fixedSeconds };
}

/** A training job's calibration copy on `schedule` (no early stopping). */
function calibrationSpec(job: Job, schedule: CalibrationSchedule): Job['spec'] {
  const fields = TRAINING_KINDS.get(job.kind);
  if (fields === undefined) return job.spec;
  const { patience: _patience, ...spec } = job.spec;
  spec[fields.iterations] = schedule.iterations;
  if (fields.validateEvery !== null) spec[fields.validateEvery] = schedule.validateEvery;
  if (fields.checkpointEvery !== null) spec[fields.checkpointEvery] = schedule.checkpointEvery;
  return spec;
}

/** The predicted seconds of `job` from its class's entry. */
function predictSeconds(job: Job, entry: CalibrationEntry): number {
  if (entry.method === 'one-run') return entry.seconds;
  const { iterations, validations, checkpoints } = trainingSchedule(job);
  return (
    entry.fixedSeconds +
    iterations * entry.stepSeconds +
    validations * entry.validationSeconds +
    checkpoints * entry.checkpointSeconds
  );
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** A predicted wall time as people read it: `12.3 s`, `3 min 05 s`, `1 h 02 min`, `4 d 07 h`. */
export function formatWall(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${two(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${two(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86400)} d ${two(Math.floor((s % 86400) / 3600))} h`;
}

/** Estimates `plan` on this machine; see the file comment. */
export async function estimateStudy(plan: StudyPlan, options: EstimateStudyOptions): Promise<StudyEstimate> {
  const machines = options.machines ?? 1;
  const workers = options.workers ?? 1;
  for (const [name, v] of [
    ['options.machines', machines],
    ['options.workers', workers],
  ] as const)
    if (!(Number.isInteger(v) && v >= 1))
      throw new MultiraterError('invalid_argument', `${name} must be a positive integer, got ${v}`);
  const threads = threadsPerWorker(workers, options.threads);
  const schedule =
    options.calibrationSteps === undefined ? CALIBRATION_SCHEDULE : calibrationSchedule(options.calibrationSteps);
  const emit = options.onProgress ?? (() => undefined);
  const out = resolve(options.out);
  const calOut = join(out, ESTIMATE_DIR, 'calibration');
  const cacheFile = calibrationFile(out);
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const machineKey = `${cpu} × ${usableCpus()} CPUs, ${threads ?? 'all'} threads`;
  if (options.recalibrate) {
    rmSync(calOut, { recursive: true, force: true });
    rmSync(cacheFile, { force: true });
  }
  const cache = readCalibration(cacheFile);
  const loadBefore = loadavg()[0];
  const started = performance.now();

  const order = topologicalOrder(plan.jobs);
  const byKey = new Map(order.map((j) => [j.key, j]));
  const classes = jobCostClasses(order);
  const representative = new Map<string, Job>();
  for (const job of order)
    if (!representative.has(classes.get(job.key)!)) representative.set(classes.get(job.key)!, job);

  // Simulations for real, into the study's own folder, linked into the calibration folder.
  mkdirSync(join(calOut, 'jobs'), { recursive: true });
  const measured = new Map<string, number>();
  for (const job of order) {
    if (job.kind !== 'simulate') continue;
    const { status, done } = await executeJob(job, out, { threads });
    measured.set(job.key, done.seconds);
    emit({ type: 'simulate', key: job.key, status, seconds: done.seconds });
    const link = jobDir(calOut, job.key);
    if (!existsSync(link)) symlinkSync(jobDir(out, job.key), link, 'dir');
  }

  const entryKey = (costClass: string): string => `${costClass}@${machineKey}`;
  let calibrated = 0;
  const calibrationJobs = new Map<string, Job>();
  /** The calibration job standing for `job`'s class, finished in calOut (and timed when its class is not cached). */
  const materialize = async (job: Job): Promise<Job> => {
    if (job.kind === 'simulate') return job;
    const costClass = classes.get(job.key)!;
    const known = calibrationJobs.get(costClass);
    if (known !== undefined) return known;
    const rep = representative.get(costClass)!;
    const needs: Record<string, string> = {};
    for (const [role, key] of Object.entries(rep.needs)) {
      const need = byKey.get(key);
      if (need === undefined)
        throw new MultiraterError('invalid_argument', `job ${rep.key} needs ${key}, not in the plan`);
      needs[role] = (await materialize(need)).key;
    }
    const training = TRAINING_KINDS.has(rep.kind);
    const calJob = makeJob(rep.kind, training ? calibrationSpec(rep, schedule) : rep.spec, needs, rep.tags);
    const cached = cache.entries[entryKey(costClass)];
    if (cached !== undefined && readDone(calOut, calJob.key) !== null) {
      calibrationJobs.set(costClass, calJob);
      return calJob;
    }
    // Timed from scratch: a folder left by an earlier calibration would be skipped (or resumed) by executeJob.
    rmSync(jobDir(calOut, calJob.key), { recursive: true, force: true });
    emit({ type: 'calibrate', kind: rep.kind, costClass, key: calJob.key });
    const times: number[] = [];
    const { done } = await executeJob(calJob, calOut, {
      threads,
      onProgress: () => times.push(performance.now() / 1000),
    });
    const at = new Date().toISOString();
    if (cached === undefined) {
      cache.entries[entryKey(costClass)] = training
        ? {
            method: 'per-step',
            kind: rep.kind,
            ...perStepTimings(times, done.seconds, trainingSchedule(calJob)),
            iterations: times.length,
            seconds: done.seconds,
            at,
          }
        : { method: 'one-run', kind: rep.kind, seconds: done.seconds, at };
      calibrated++;
      writeFileAtomic(cacheFile, JSON.stringify(cache, null, 2) + '\n');
      emit({ type: 'calibrated', kind: rep.kind, costClass, seconds: done.seconds });
    }
    calibrationJobs.set(costClass, calJob);
    return calJob;
  };

  const jobs: JobEstimate[] = [];
  for (const job of order) {
    const costClass = classes.get(job.key)!;
    if (job.kind === 'simulate') {
      jobs.push({ key: job.key, kind: job.kind, costClass, seconds: measured.get(job.key)!, method: 'measured' });
      continue;
    }
    let entry = cache.entries[entryKey(costClass)];
    if (entry === undefined) {
      await materialize(job);
      entry = cache.entries[entryKey(costClass)]!;
    }
    jobs.push({ key: job.key, kind: job.kind, costClass, seconds: predictSeconds(job, entry), method: entry.method });
  }
  const loadAfter = loadavg()[0];

  const jobSeconds = jobs.reduce((a, j) => a + j.seconds, 0);
  const kinds = new Map<string, KindEstimate>();
  for (const j of jobs) {
    const k = kinds.get(j.kind) ?? { kind: j.kind, jobs: 0, seconds: 0, share: 0, method: j.method };
    k.jobs++;
    k.seconds += j.seconds;
    kinds.set(j.kind, k);
  }
  for (const k of kinds.values()) {
    k.share = jobSeconds > 0 ? k.seconds / jobSeconds : 0;
    k.seconds = round1(k.seconds);
  }
  const predicted = new Map(jobs.map((j) => [j.key, j.seconds]));
  const { makespan } = listSchedule(
    order.map((j) => ({ key: j.key, needs: Object.values(j.needs), seconds: predicted.get(j.key)! })),
    machines * workers,
  );
  const classCount = new Set(jobs.filter((j) => j.kind !== 'simulate').map((j) => j.costClass)).size;
  return {
    schemaVersion: 1,
    study: plan.study,
    preset: plan.preset,
    machines,
    workers,
    threads: threads ?? null,
    machine: { cpu, cpus: usableCpus() },
    kinds: [...kinds.values()],
    jobs: jobs.map((j) => ({ ...j, seconds: Math.round(j.seconds * 1000) / 1000 })),
    jobSeconds: round1(jobSeconds),
    wallSeconds: round1(makespan),
    calibration: {
      file: cacheFile,
      classes: classCount,
      calibrated,
      seconds: round1((performance.now() - started) / 1000),
      load: [loadBefore, loadAfter],
    },
  };
}
