/**
 * Cost classes of a study's jobs (issue 28 §5): jobs whose run takes the same time on one machine share a class, so
 * `estimateStudy` calibrates one job per class. A class is the hash of the job's kind, its spec without the fields
 * that do not change the cost (`FREE_FIELDS`; list-valued fields whose length alone matters are replaced by their
 * length, `SIZE_FIELDS`), and the classes of the jobs it needs, by role (a predict's model class decides its
 * network; an evaluate's prediction class decides its case count and grid).
 *
 * | kind             | per-step model | fields left out of the class                                    | by length    |
 * | ---------------- | -------------- | --------------------------------------------------------------- | ------------ |
 * | train            | iterations     | seed, iterations, lr, labelSource, validateEvery, checkpointEvery, patience | images, caseIds |
 * | train-annotators | iterations     | seed, iterations, lr, traceWeight, validateEvery, checkpointEvery | raters      |
 * | finetune         | iterations     | seed, iterations, lr, rater, way, validateEvery, checkpointEvery | images       |
 * | register         | steps          | seed, steps, learningRate                                       |              |
 * | simulate         | (run for real) | seed                                                            |              |
 * | evaluate         | (one run)      | seed, against                                                   |              |
 * | any other kind   | (one run)      | seed                                                            |              |
 *
 * A training kind validates every `validateEvery` and checkpoints every `checkpointEvery` iterations and at the last
 * one (`train/training-loop.ts`); register does neither.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type Job, type JsonValue } from '../experiments/index.ts';
import { FINETUNE_ITERATIONS, TRAIN_DEFAULTS } from '../train/index.ts';

/** How a training kind's iterations and validations are read from its spec. */
export interface TrainingCostFields {
  /** The spec field counting optimiser steps. */
  iterations: string;
  /** Its default when the spec leaves it out. */
  defaultIterations: number;
  /** The spec field of iterations between validations (null: the kind does not validate). */
  validateEvery: string | null;
  /** Its default when the spec leaves it out (0, unused, when the kind does not validate). */
  defaultValidateEvery: number;
  /** The spec field of iterations between checkpoints (null: the kind does not checkpoint). */
  checkpointEvery: string | null;
  /** Its default when the spec leaves it out (0, unused, when the kind does not checkpoint). */
  defaultCheckpointEvery: number;
  /** Fields of the spec that leave the cost of a step unchanged. */
  free: readonly string[];
  /** List fields whose length alone changes the cost. */
  size: readonly string[];
}

/** A trainer's cost fields: `iterations`, `validateEvery`, `checkpointEvery` in its spec (train's defaults). */
const trainer = (defaultIterations: number, free: string[], size: string[]): TrainingCostFields => ({
  iterations: 'iterations',
  defaultIterations,
  validateEvery: 'validateEvery',
  defaultValidateEvery: TRAIN_DEFAULTS.validateEvery,
  checkpointEvery: 'checkpointEvery',
  defaultCheckpointEvery: TRAIN_DEFAULTS.checkpointEvery,
  free: ['seed', 'iterations', 'lr', ...free, 'validateEvery', 'checkpointEvery', 'patience'],
  size,
});

/** The training kinds: their time is predicted as fixed + iterations × step + validations × validation. */
export const TRAINING_KINDS: ReadonlyMap<string, TrainingCostFields> = new Map([
  ['train', trainer(TRAIN_DEFAULTS.iterations, ['labelSource'], ['images', 'caseIds'])],
  ['train-annotators', trainer(TRAIN_DEFAULTS.iterations, ['traceWeight'], ['raters'])],
  ['finetune', trainer(FINETUNE_ITERATIONS, ['rater', 'way'], ['images'])],
  [
    'register',
    {
      iterations: 'steps',
      defaultIterations: 1000,
      validateEvery: null,
      defaultValidateEvery: 0,
      checkpointEvery: null,
      defaultCheckpointEvery: 0,
      free: ['seed', 'steps', 'learningRate'],
      size: [],
    },
  ],
]);

/** Fields of the other kinds' specs that leave their cost unchanged (which labels an evaluation compares with). */
const ONE_RUN_FREE: Readonly<Record<string, readonly string[]>> = { evaluate: ['seed', 'against'] };
const OTHER_FREE = ['seed'];

/** The spec as far as it decides the job's cost (see the file comment). */
export function costSpec(job: Job): { [key: string]: JsonValue } {
  const training = TRAINING_KINDS.get(job.kind);
  const free = new Set(training?.free ?? ONE_RUN_FREE[job.kind] ?? OTHER_FREE);
  const size = new Set(training?.size ?? []);
  const out: { [key: string]: JsonValue } = {};
  for (const [field, value] of Object.entries(job.spec)) {
    if (free.has(field)) continue;
    out[field] = size.has(field) && Array.isArray(value) ? value.length : value;
  }
  return out;
}

/** What a training job runs: iterations, and validations and checkpoints with their periods (null: none). */
export interface TrainingSchedule {
  /** Optimiser steps (register: registration steps). */
  iterations: number;
  /** Iterations between validations; null when the kind does not validate. */
  validateEvery: number | null;
  /** Validations run: one every `validateEvery` iterations and at the last, ⌈iterations / validateEvery⌉. */
  validations: number;
  /** Iterations between checkpoints; null when the kind does not checkpoint. */
  checkpointEvery: number | null;
  /** Checkpoints written: ⌈iterations / checkpointEvery⌉. */
  checkpoints: number;
}

/** A training job's iterations, validations and checkpoints (its spec, else the kind's defaults). */
export function trainingSchedule(job: Job): TrainingSchedule {
  const fields = TRAINING_KINDS.get(job.kind);
  if (fields === undefined) throw new TypeError(`${job.kind} is not a training kind`);
  const read = (field: string | null, fallback: number): number | null => {
    if (field === null) return null;
    const value = job.spec[field];
    return typeof value === 'number' ? value : fallback;
  };
  const iterations = read(fields.iterations, fields.defaultIterations) as number;
  const validateEvery = read(fields.validateEvery, fields.defaultValidateEvery);
  const checkpointEvery = read(fields.checkpointEvery, fields.defaultCheckpointEvery);
  // The loop validates and checkpoints every so many iterations and at the last one (train/training-loop.ts).
  const count = (every: number | null): number => (every === null ? 0 : Math.ceil(iterations / every));
  return {
    iterations,
    validateEvery,
    validations: count(validateEvery),
    checkpointEvery,
    checkpoints: count(checkpointEvery),
  };
}

/** Each job's cost class (16 hex digits), by key; `jobs` in topological order or not. */
export function jobCostClasses(jobs: readonly Job[]): Map<string, string> {
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const classes = new Map<string, string>();
  const classOf = (job: Job): string => {
    const known = classes.get(job.key);
    if (known !== undefined) return known;
    const needs: Record<string, string> = {};
    for (const [role, key] of Object.entries(job.needs)) {
      const need = byKey.get(key);
      needs[role] = need === undefined ? key : classOf(need);
    }
    const hash = createHash('sha256')
      .update(canonicalJson({ kind: job.kind, spec: costSpec(job), needs }))
      .digest('hex')
      .slice(0, 16);
    classes.set(job.key, hash);
    return hash;
  };
  for (const job of jobs) classOf(job);
  return classes;
}
