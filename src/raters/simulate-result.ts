/** What every `simulate*Dataset` returns, and the rater-name resolution they share. */
import { MultiraterError } from '../errors.ts';
import type { RaterModel } from './apply-rater.ts';
import type { LabelRegion } from './label-regions.ts';
import { expertStyles } from './rater-models.ts';

/** What `simulate*Dataset` returns once dataset.json is written: where, and how many subjects, cases and raters. */
export interface SimulateResult {
  /** Path of the written dataset.json. */
  datasetFile: string;
  /** Subjects (cardiac, head-and-neck) or digits (MNIST). */
  subjects: number;
  /** Cases written (per cardiac subject two, ED and ES). */
  cases: number;
  /** Names of the raters written, as in dataset.json `raters`. */
  raters: string[];
  /** Cases per split (a cardiac subject gives two cases, ED and ES). */
  splits: {
    /** Cases whose `meta.split` is 'train'. */
    train: number;
    /** Cases whose `meta.split` is 'val'. */
    val: number;
    /** Cases whose `meta.split` is 'test'. */
    test: number;
  };
}

/** Options every simulator shares. */
export interface SimulateCommonOptions {
  /** Output folder (created). */
  out: string;
  /** Seed of everything; same seed, same bytes. Default 1. */
  seed?: number;
  /** Named raters of this kind of data; default the kind's usual set. */
  raters?: string[];
  /** Add N expert styles style1 … styleN (the last an outlier); default 0. */
  experts?: number;
  /** Called after each subject or digit with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The models for `names` from `registry`, plus `experts` styles over `regions`; unknown names are an error. */
export function resolveRaters(
  kind: string,
  registry: Readonly<Record<string, RaterModel>>,
  names: readonly string[],
  experts: number,
  regions: readonly LabelRegion[],
): RaterModel[] {
  const unknown = names.filter((n) => !Object.hasOwn(registry, n));
  if (unknown.length)
    throw new MultiraterError(
      'unknown_name',
      `simulate ${kind}: unknown rater(s) ${unknown.join(', ')} (expected ${Object.keys(registry).sort().join(', ')})`,
    );
  if (new Set(names).size !== names.length)
    throw new MultiraterError('invalid_argument', `simulate ${kind}: rater list ${names.join(',')} repeats a name`);
  if (!Number.isInteger(experts) || experts < 0)
    throw new MultiraterError('invalid_argument', `simulate ${kind}: experts must be an integer ≥ 0, got ${experts}`);
  return [...names.map((n) => registry[n]), ...expertStyles(experts, { regions })];
}

/** Checks a count option is a positive integer. */
export function checkCount(kind: string, name: string, value: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new MultiraterError(
      'invalid_argument',
      `simulate ${kind}: ${name} must be an integer in 1…${max === Infinity ? '∞' : max}, got ${value}`,
    );
  }
}

/** Number of cases per split. */
export function splitCounts(splits: Iterable<string>): { train: number; val: number; test: number } {
  const out = { train: 0, val: 0, test: 0 };
  for (const s of splits) out[s as keyof typeof out]++;
  return out;
}
