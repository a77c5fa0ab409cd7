/**
 * `multirater simulate cardiac`: N phantom subjects (groups NOR, DCM, HCM, MINF, ARV in turn; vendors in turn per
 * block of five), each written as its 4D cine image and truth plus one case per ED and ES frame with the 3D image,
 * the truth and every rater's annotation (`simulate-cardiac-subject.ts`). Subject i's phantom and each (rater,
 * case) annotation draw from their own forks of the seed, so adding subjects or raters leaves the others' bytes
 * unchanged, and subjects can be spread over worker threads. Splits by subject, stratified by group.
 * Besides the step-list raters (rater-models.ts), `raters` may name a random-error rater (`nonexpert1-random`,
 * `nonexpert2-random`: random blobs at the non-expert's per-structure Dice against the expert, random-error-rater.ts);
 * none is written unless named.
 */
import { loadavg } from 'node:os';
import { usableCpus } from '../cores.ts';
import { CARDIAC_GROUPS } from '../phantom/index.ts';
import { CARDIAC_VENDORS, type CardiacVendor } from '../phantom/index.ts';
import { MultiraterError } from '../errors.ts';
import { assignSplits, DatasetWriter, padded } from './dataset-writer.ts';
import { CARDIAC_REGIONS } from './label-regions.ts';
import { CARDIAC_RANDOM_ERROR_RATERS, type RandomErrorRaterModel } from './random-error-rater.ts';
import { CARDIAC_RATERS } from './rater-models.ts';
import { runInWorkers, siblingModule } from './run-in-workers.ts';
import {
  simulateCardiacSubject,
  type CardiacSubjectResult,
  type CardiacSubjectTask,
  type RandomErrorRaterTask,
} from './simulate-cardiac-subject.ts';
import { checkCount, resolveRaters, type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';

/**
 * Options of `simulateCardiacDataset` (`multirater simulate cardiac`): subjects, vendors, frames, image size, workers.
 */
export interface SimulateCardiacOptions extends SimulateCommonOptions {
  /** Number of subjects; default 20. */
  subjects?: number;
  /** Vendors to cycle through; default A, B, C, D. */
  vendors?: CardiacVendor[];
  /** Frames per cycle; default 12. */
  frames?: number;
  /** In-plane matrix size; default 96. */
  size?: number;
  /**
   * Worker threads to spread the subjects over (0 = this thread). Default: one per idle CPU core (cores less the
   * 1-minute load average), at most 4, when at least two are idle and there are 8 subjects or more; otherwise this
   * thread, since a thread's start-up (~0.4 s) and competing with busy cores cost more than they save. The bytes
   * written do not depend on it.
   */
  workers?: number;
}

const MIN_SUBJECTS_FOR_WORKERS = 8;
const MAX_DEFAULT_WORKERS = 4;

/** Raters `simulate cardiac` writes when `raters` is not given. */
export const CARDIAC_DEFAULT_RATERS = ['expert', 'nonexpert1', 'nonexpert2'];

/** Writes the cardiac dataset; see the file comment. */
export async function simulateCardiacDataset(options: SimulateCardiacOptions): Promise<SimulateResult> {
  const subjects = options.subjects ?? 20;
  const seed = options.seed ?? 1;
  const vendors = options.vendors ?? [...CARDIAC_VENDORS];
  const frames = options.frames ?? 12;
  checkCount('cardiac', 'subjects', subjects, 9999);
  checkCount('cardiac', 'frames', frames, 64);
  if (frames < 2)
    throw new MultiraterError('invalid_argument', `simulate cardiac: frames must be ≥ 2 (ED and ES), got ${frames}`);
  const badVendor = vendors.find((v) => !CARDIAC_VENDORS.includes(v));
  if (badVendor !== undefined || vendors.length === 0)
    throw new MultiraterError(
      'invalid_argument',
      `simulate cardiac: vendors must be among A, B, C, D, got ${vendors.join(',') || '(none)'}`,
    );
  const names = options.raters ?? CARDIAC_DEFAULT_RATERS;
  const isRandom = (n: string): n is keyof typeof CARDIAC_RANDOM_ERROR_RATERS =>
    Object.hasOwn(CARDIAC_RANDOM_ERROR_RATERS, n);
  if (new Set(names).size !== names.length)
    throw new MultiraterError('invalid_argument', `simulate cardiac: rater list ${names.join(',')} repeats a name`);
  const stepModels = resolveRaters(
    'cardiac',
    CARDIAC_RATERS,
    names.filter((n) => !isRandom(n)),
    options.experts ?? 0,
    CARDIAC_REGIONS,
  );
  const random = (m: RandomErrorRaterModel): RandomErrorRaterTask => ({
    ...m,
    referenceModel: CARDIAC_RATERS[m.reference as keyof typeof CARDIAC_RATERS],
    likeModel: CARDIAC_RATERS[m.like as keyof typeof CARDIAC_RATERS],
  });
  // The raters in the order named, the expert styles last (as resolveRaters returns them).
  const models = [
    ...names.map((n) => (isRandom(n) ? random(CARDIAC_RANDOM_ERROR_RATERS[n]) : stepModels.find((m) => m.name === n)!)),
    ...stepModels.slice(names.filter((n) => !isRandom(n)).length),
  ];
  const ids = Array.from({ length: subjects }, (_, s) => `subject${padded(s + 1, subjects)}`);
  const groups = ids.map((_, s) => CARDIAC_GROUPS[s % CARDIAC_GROUPS.length]);
  const splits = assignSplits(ids, groups, seed);
  const writer = new DatasetWriter(options.out, [0, 1, 2, 3]);
  const tasks: CardiacSubjectTask[] = ids.map((id, s) => ({
    out: options.out,
    id,
    group: groups[s],
    vendor: vendors[Math.floor(s / CARDIAC_GROUPS.length) % vendors.length],
    split: splits.get(id)!,
    frames,
    size: options.size,
    seed,
    models,
  }));
  const idleCores = Math.round(usableCpus() - loadavg()[0]);
  const threads =
    options.workers ??
    (subjects >= MIN_SUBJECTS_FOR_WORKERS && idleCores >= 2 ? Math.min(idleCores, MAX_DEFAULT_WORKERS) : 0);
  if (!Number.isInteger(threads) || threads < 0)
    throw new MultiraterError('invalid_argument', `simulate cardiac: workers must be an integer ≥ 0, got ${threads}`);
  if (threads === 0) {
    tasks.forEach((task, s) => {
      writer.absorb(simulateCardiacSubject(task));
      options.onProgress?.(s + 1, subjects);
    });
  } else {
    const parts = await runInWorkers<CardiacSubjectTask, CardiacSubjectResult>(
      siblingModule('simulate-cardiac-worker', import.meta.url),
      tasks,
      {
        threads,
        onResult: (_, __, done) => options.onProgress?.(done, subjects),
      },
    );
    for (const part of parts) writer.absorb(part);
  }
  return writer.finish(
    {
      name: 'phantom-cardiac',
      description:
        'Synthetic short-axis cine MRI (multirater cardiac phantom): ACDC groups, vendors A–D, ED/ES cases with truth, simulated raters, 4D cine per subject in meta.cine.',
      labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
      raters: models.map((m) => m.name),
      source: {
        generator: 'multirater simulate cardiac',
        seed,
        subjects,
        vendors,
        frames,
        size: options.size ?? 96,
        raterModels: Object.fromEntries(models.map((m) => [m.name, 'kind' in m ? recordOf(m) : m])),
      },
    },
    subjects,
  );
}

/** A random-error rater as dataset.json records it: its model, without the step models it was given. */
function recordOf(task: RandomErrorRaterTask): RandomErrorRaterModel {
  const { referenceModel: _r, likeModel: _l, ...model } = task;
  return model;
}
