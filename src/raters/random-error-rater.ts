/**
 * A rater whose errors are random, not systematic, at the per-structure Dice of a systematic rater (issue 28 §4):
 * MAE's robustness is to random label noise, while the cardiac phantom's 30-minute non-expert errs systematically
 * (left-out apical slices, a wide epicardium, a tight RV). This rater starts from the reference rater's annotation
 * (the expert's) and flips labels in random blobs, calibrated per structure and case so that its Dice against the
 * reference equals the systematic rater's Dice against the same reference on that case (measured at run time).
 *
 * For structure l with a voxels in the reference, the candidates are its own voxels (a flip there is a miss:
 * l → background) and the background voxels within `bandMm` of l and nearer to l than to any other structure (a flip
 * there is a false alarm: background → l), deep inside and far out alike. A smooth random field of correlation
 * `blobMm` orders the candidates, and the first k are flipped, k the count whose Dice 2(a − miss)/(2a − miss + false)
 * is nearest the target: the flipped set is the field's superlevel set, i.e. random blobs. Dice falls with every
 * flip, so k is found in one pass. Misses go to background and false alarms come from background nearest to l, so
 * the structures' candidate sets are disjoint and each structure's Dice depends on its own flips alone: the match is
 * exact to one voxel. A structure absent from the reference gets no errors.
 */
import { smoothRandomField } from '../phantom/index.ts';
import type { Rng } from '../random/index.ts';
import { assertSameGrid, createVolume, squaredDistanceTransform, type Volume } from '../volume/index.ts';

/** A recorded random-error rater of `simulate`: who it copies, and whose per-structure Dice it matches. */
export interface RandomErrorRaterModel {
  /** Rater name in dataset.json (e.g. 'nonexpert1-random'). */
  name: string;
  /** One line on who this rater is. */
  description: string;
  /** Tells a random-error rater apart from a step-list `RaterModel` (which has no `kind`). */
  kind: 'randomErrors';
  /** The rater whose annotation it starts from, and against which Dice is measured (the expert). */
  reference: string;
  /** The systematic rater whose per-structure Dice against `reference` it matches, case by case. */
  like: string;
  /** Structure labels it perturbs. */
  labels: number[];
  /** How far (mm) outside a structure false alarms may lie. */
  bandMm: number;
  /** Correlation length (mm) of the random field whose blobs are flipped. */
  blobMm: number;
}

/** The cardiac random-error raters: the non-experts' Dice against the expert, with random errors. */
export const CARDIAC_RANDOM_ERROR_RATERS: Readonly<
  Record<'nonexpert1-random' | 'nonexpert2-random', RandomErrorRaterModel>
> = {
  'nonexpert1-random': {
    name: 'nonexpert1-random',
    description:
      "random errors: the expert's annotation with labels flipped in random blobs, at nonexpert1's per-structure Dice against the expert on each case",
    kind: 'randomErrors',
    reference: 'expert',
    like: 'nonexpert1',
    labels: [1, 2, 3],
    bandMm: 8,
    blobMm: 4,
  },
  'nonexpert2-random': {
    name: 'nonexpert2-random',
    description:
      "random errors: the expert's annotation with labels flipped in random blobs, at nonexpert2's per-structure Dice against the expert on each case",
    kind: 'randomErrors',
    reference: 'expert',
    like: 'nonexpert2',
    labels: [1, 2, 3],
    bandMm: 8,
    blobMm: 4,
  },
};

/**
 * Options of `randomErrorRater` and `placeRandomErrors`: the structures perturbed and the blobs' reach and size, mm.
 */
export interface RandomErrorOptions {
  /** Structure labels to perturb (non-zero). */
  labels: readonly number[];
  /** How far (mm) outside a structure false alarms may lie; default 8. */
  bandMm?: number;
  /** Correlation length (mm) of the blobs' random field; default 4. */
  blobMm?: number;
}

/** What happened to one structure. */
export interface RandomErrorStructure {
  /** Structure label value. */
  label: number;
  /** The systematic rater's Dice against the reference; null when neither has the structure. */
  target: number | null;
  /** This rater's Dice against the reference; null when neither has the structure. */
  dice: number | null;
  /** Reference voxels of the structure flipped to background. */
  missed: number;
  /** Background voxels flipped to the structure. */
  added: number;
}

/** What `randomErrorRater` and `placeRandomErrors` return: the annotation and what was flipped per structure. */
export interface RandomErrorResult {
  /** The annotation: the reference's labels with the blobs flipped, on the reference's grid. */
  labels: Volume<Uint8Array>;
  /** One entry per label of `RandomErrorOptions.labels`, in that order. */
  structures: RandomErrorStructure[];
}

/**
 * The annotation with random errors (see the file comment): `reference`'s labels with blobs flipped so that each
 * structure's Dice against `reference` is that of `like`; the blobs' fields are drawn from `rng`, one fork per label.
 */
export function randomErrorRater(
  reference: Volume,
  like: Volume,
  rng: Rng,
  options: RandomErrorOptions,
): RandomErrorResult {
  assertSameGrid(reference, 'reference', like, 'systematic rater');
  const blobMm = options.blobMm ?? 4;
  const fields = options.labels.map((l) =>
    smoothRandomField(reference.shape, rng.fork(`blobs:${l}`), { correlationMm: blobMm, spacing: reference.spacing }),
  );
  return placeRandomErrors(reference, like, fields, options);
}

/** `randomErrorRater` given the fields (one per label of `options.labels`, ordering its candidates): deterministic. */
export function placeRandomErrors(
  reference: Volume,
  like: Volume,
  fields: readonly Float32Array[],
  options: RandomErrorOptions,
): RandomErrorResult {
  const ref = reference.data as ArrayLike<number>;
  const sys = like.data as ArrayLike<number>;
  const n = ref.length;
  const out = Uint8Array.from(ref);
  const bandSq = (options.bandMm ?? 8) ** 2;
  const nearest = nearestStructure(ref, reference.shape, reference.spacing, options.labels, bandSq);
  const structures = options.labels.map((label, k): RandomErrorStructure => {
    const target = dice(sys, ref, label);
    let a = 0;
    for (let v = 0; v < n; v++) if (ref[v] === label) a++;
    if (a === 0 || target === null) return { label, target, dice: null, missed: 0, added: 0 };
    const field = fields[k];
    const candidates: number[] = [];
    for (let v = 0; v < n; v++) if (ref[v] === label || (ref[v] === 0 && nearest[v] === k)) candidates.push(v);
    candidates.sort((x, y) => field[y] - field[x] || x - y);
    const flips = flipCount(candidates, ref, label, a, target);
    let missed = 0;
    for (let i = 0; i < flips; i++) {
      const v = candidates[i];
      if (ref[v] === label) {
        out[v] = 0;
        missed++;
      } else out[v] = label;
    }
    const added = flips - missed;
    return { label, target, dice: (2 * (a - missed)) / (2 * a - missed + added), missed, added };
  });
  return {
    labels: createVolume(reference.shape, out, { spacing: reference.spacing, affine: reference.affine }),
    structures,
  };
}

/** How many of the ordered `candidates` to flip so that Dice (1 with none, falling with each) is nearest `target`. */
function flipCount(candidates: readonly number[], ref: ArrayLike<number>, label: number, a: number, target: number) {
  let missed = 0;
  let added = 0;
  let previous = 1;
  for (let i = 0; i < candidates.length; i++) {
    if (ref[candidates[i]] === label) missed++;
    else added++;
    const d = (2 * (a - missed)) / (2 * a - missed + added);
    if (d <= target) return target - d < previous - target ? i + 1 : i;
    previous = d;
  }
  return candidates.length;
}

/**
 * Per voxel, the index in `labels` of the structure nearest to it when within √`bandSq` mm (−1 otherwise, and on
 * the structures themselves the index of their own label; ties go to the first label).
 */
function nearestStructure(
  ref: ArrayLike<number>,
  shape: readonly number[],
  spacing: readonly number[],
  labels: readonly number[],
  bandSq: number,
): Int8Array {
  const n = ref.length;
  const nearest = new Int8Array(n).fill(-1);
  const best = new Float64Array(n).fill(bandSq);
  const mask = new Uint8Array(n);
  labels.forEach((label, k) => {
    for (let v = 0; v < n; v++) mask[v] = ref[v] === label ? 1 : 0;
    const d = squaredDistanceTransform(mask, shape, { spacing });
    for (let v = 0; v < n; v++) {
      if (d[v] < best[v] || (nearest[v] === -1 && d[v] <= bandSq)) {
        best[v] = d[v];
        nearest[v] = k;
      }
    }
  });
  return nearest;
}

/** Dice of label `label` between `a` and `b`; null when neither has it. */
function dice(a: ArrayLike<number>, b: ArrayLike<number>, label: number): number | null {
  let both = 0;
  let sum = 0;
  for (let v = 0; v < a.length; v++) {
    const x = a[v] === label;
    const y = b[v] === label;
    if (x && y) both++;
    sum += (x ? 1 : 0) + (y ? 1 : 0);
  }
  return sum === 0 ? null : (2 * both) / sum;
}
