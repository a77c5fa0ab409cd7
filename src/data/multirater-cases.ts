/**
 * Training cases that keep every chosen annotator's label map (for the annotator-CM model and the mean-label
 * baseline): the image, one label map per rater in the order given (null where the case has none), and the truth
 * when the dataset has it. With `labelsPerImage: 1` each training case keeps one annotator's label only, drawn
 * uniformly among the annotators it has from `new Rng(seed).fork(stream)` in dataset order (`stream` default
 * 'labels-per-image'; the validation cases draw from their own), and the draw is returned so it can be recorded.
 * Data contract: every selected case MUST have an image and at least one of the chosen raters.
 */
import { MultiraterError } from '../errors.ts';
import { DATASET_FILE, resolveCasePath, type LoadedDataset, type Split } from '../datasets/index.ts';
import { readLabelMap } from '../io/index.ts';
import { Rng } from '../random/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { loadTrainingCase, type TrainingCase } from './training-cases.ts';

/** One image with several annotators' label maps. */
export interface MultiRaterCase extends TrainingCase {
  /** Label map of each chosen rater (same order as the raters), null where missing; `label` is their union. */
  raterLabels: (Volume<Uint8Array> | null)[];
  /** The truth when the dataset has it for this case. */
  truth: Volume<Uint8Array> | null;
}

/** Options of `loadMultiRaterCases`: which raters' label maps to read, and from which splits. */
export interface LoadMultiRaterCasesOptions {
  /** Rater ids, in the order the model's annotators take. */
  raters: readonly string[];
  /** Keep only cases of these splits. */
  splits?: readonly Split[];
}

function toUint8(v: Volume, path: string): Volume<Uint8Array> {
  if (v.data instanceof Uint8Array) return v as Volume<Uint8Array>;
  const out = new Uint8Array(v.data.length);
  for (let i = 0; i < out.length; i++) {
    if (v.data[i] > 255)
      throw new MultiraterError(
        'invalid_label',
        `${path}: label values must be 0–255 for training, found ${v.data[i]}`,
      );
    out[i] = v.data[i];
  }
  return createVolume(v.shape, out, { spacing: v.spacing, affine: v.affine });
}

/** Reads the selected cases with every chosen rater's label map (see the file comment). */
export function loadMultiRaterCases(loaded: LoadedDataset, options: LoadMultiRaterCasesOptions): MultiRaterCase[] {
  const file = resolveCasePath(loaded.root, DATASET_FILE);
  const unknown = options.raters.filter((r) => !loaded.dataset.raters.includes(r));
  if (unknown.length > 0)
    throw new MultiraterError(
      'invalid_argument',
      `${file}: rater(s) ${unknown.join(', ')} not listed (known: ${loaded.dataset.raters.join(', ') || 'none'})`,
    );
  const splits = options.splits ? new Set<string>(options.splits) : null;
  const cases = loaded.dataset.cases.filter(
    (c) => splits === null || (c.meta.split !== undefined && splits.has(c.meta.split)),
  );
  return cases.map((c) => {
    const first = options.raters.find((r) => c.raters[r] !== undefined);
    if (first === undefined)
      throw new MultiraterError(
        'missing_label',
        `${file}: case "${c.id}" has none of the raters ${options.raters.join(', ')}`,
      );
    const base = loadTrainingCase(loaded, c, first);
    const read = (path: string): Volume<Uint8Array> => {
      const full = resolveCasePath(loaded.root, path);
      const v = toUint8(readLabelMap(full), full);
      assertSameGrid(v, full, base.image, c.image ?? c.id);
      return v;
    };
    const raterLabels = options.raters.map((r) =>
      c.raters[r] === undefined ? null : r === first ? base.label : read(c.raters[r]),
    );
    const union = new Uint8Array(base.label.data.length);
    for (const l of raterLabels)
      if (l !== null) for (let v = 0; v < union.length; v++) if (l.data[v] > union[v]) union[v] = l.data[v];
    return {
      ...base,
      label: createVolume(base.label.shape, union, { spacing: base.label.spacing, affine: base.label.affine }),
      raterLabels,
      truth: c.truth ? read(c.truth) : null,
    };
  });
}

/**
 * Keeps one annotator per case, drawn with `seed` (see the file comment). Returns the reduced cases and the
 * rater kept for each case id.
 */
export function keepOneLabelPerImage(
  cases: readonly MultiRaterCase[],
  raters: readonly string[],
  seed: number,
  stream = 'labels-per-image',
): {
  /** The input cases in order, each with only the kept rater's label map (the others null) as `label`. */
  cases: MultiRaterCase[];
  /** Case id → name of the rater kept. */
  assignment: Record<string, string>;
} {
  const rng = new Rng(seed).fork(stream);
  const assignment: Record<string, string> = {};
  const kept = cases.map((c) => {
    const present = c.raterLabels.flatMap((l, r) => (l === null ? [] : [r]));
    const r = present[rng.int(present.length)];
    assignment[c.id] = raters[r];
    const only = c.raterLabels[r] as Volume<Uint8Array>;
    return { ...c, label: only, raterLabels: c.raterLabels.map((l, k) => (k === r ? l : null)) };
  });
  return { cases: kept, assignment };
}
