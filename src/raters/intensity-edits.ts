/**
 * Image-guided rater errors: what a rater does when the picture, not the anatomy, decides — extending a structure
 * into adjacent bright voxels (the right atrium at the base of the RV, teeth above the mandible) and handing dark
 * voxels inside a cavity to the wall (papillary muscles drawn as myocardium). Intensity levels can be absolute
 * (e.g. HU) or placed between the median intensities of two truth labels, which is how a rater judges "bright".
 */
import { MultiraterError } from '../errors.ts';
import type { Volume } from '../volume/index.ts';
import { labelledSlices } from './slice-edits.ts';
import { shiftBoundary } from './shift-boundary.ts';
import type { LabelRegion } from './label-regions.ts';

/** An intensity in image units, or the point a fraction `at` (default 0.5) of the way between two labels' medians. */
export type IntensityLevel =
  | number
  | {
      /** Two truth labels whose median image intensities are interpolated, from the first to the second. */
      between: [number, number];
      /** Fraction (0–1) of the way from the first median to the second; default 0.5. */
      at?: number;
    };

/** Slices at one end of a label's extent in the truth. */
export interface SliceRange {
  /** Label whose extent is used. */
  label: number;
  /** Which end of the extent: the first slices holding the label (lowest index) or the last. */
  end: 'first' | 'last';
  /** How many of the slices holding the label, counted from that end. */
  count: number;
}

/** The level in image units; `between` levels use the truth's labels. */
export function resolveLevel(level: IntensityLevel, image: Volume, truth: Uint8Array): number {
  if (typeof level === 'number') return level;
  const [a, b] = level.between;
  const ma = medianWhere(image, truth, a);
  const mb = medianWhere(image, truth, b);
  if (ma === null || mb === null) return Infinity;
  return ma + (level.at ?? 0.5) * (mb - ma);
}

function medianWhere(image: Volume, truth: Uint8Array, label: number): number | null {
  let n = 0;
  for (let v = 0; v < truth.length; v++) if (truth[v] === label) n++;
  if (n === 0) return null;
  const values = new Float64Array(n);
  n = 0;
  for (let v = 0; v < truth.length; v++) if (truth[v] === label) values[n++] = Number(image.data[v]);
  return kthSmallest(values, Math.floor(n / 2));
}

/**
 * The k-th smallest value (0-based) — what `values.sort()[k]` gives — by Hoare's selection (expected linear time);
 * reorders `values`.
 */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    // Now values[lo … j] ≤ pivot ≤ values[i … hi], and everything strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Options of `growInto`: the region, how far it may grow, how bright the voxels it takes must be, and where. */
export interface GrowIntoOptions {
  /** Region that grows (its `paint` label is given to the voxels gained). */
  region: LabelRegion;
  /** Furthest reach of the growth, in-plane (mm). */
  mm: number;
  /** Only voxels at least this bright are taken. */
  minIntensity: IntensityLevel;
  /** Restrict to these slices (default all). */
  slices?: SliceRange;
}

/** Grows `region` in-plane by up to `mm` into background voxels at least `minIntensity` bright, in place. */
export function growInto(labels: Uint8Array, truth: Volume, image: Volume | null, options: GrowIntoOptions): void {
  if (!image) throw new MultiraterError('invalid_argument', 'rater step growInto needs the image; none was given');
  const shape = truth.shape;
  const level = resolveLevel(options.minIntensity, image, truth.data as Uint8Array);
  const grown = labels.slice();
  shiftBoundary(grown, shape, truth.spacing, { region: options.region, mm: [options.mm, options.mm, 0] });
  const allowed = sliceFilter(truth.data as Uint8Array, shape, options.slices);
  const per = shape[0] * shape[1];
  for (let v = 0; v < labels.length; v++) {
    if (grown[v] !== labels[v] && allowed[Math.floor(v / per)] && Number(image.data[v]) >= level) labels[v] = grown[v];
  }
}

/** Options of `relabelDark`: which label's dark voxels become which label, below which intensity. */
export interface RelabelDarkOptions {
  /** Label whose dark voxels change. */
  from: number;
  /** Label they become. */
  to: number;
  /** Voxels below this intensity change. */
  maxIntensity: IntensityLevel;
}

/** Voxels labelled `from` darker than `maxIntensity` become `to`, in place. */
export function relabelDark(
  labels: Uint8Array,
  truth: Volume,
  image: Volume | null,
  options: RelabelDarkOptions,
): void {
  if (!image) throw new MultiraterError('invalid_argument', 'rater step relabel needs the image; none was given');
  const level = resolveLevel(options.maxIntensity, image, truth.data as Uint8Array);
  for (let v = 0; v < labels.length; v++)
    if (labels[v] === options.from && Number(image.data[v]) < level) labels[v] = options.to;
}

function sliceFilter(truth: Uint8Array, shape: readonly number[], range: SliceRange | undefined): Uint8Array {
  const count = truth.length / (shape[0] * shape[1]);
  const allowed = new Uint8Array(count);
  if (!range) return allowed.fill(1);
  const slices = labelledSlices(truth, shape, [range.label]);
  const pick = range.end === 'first' ? slices.slice(0, range.count) : slices.slice(-range.count);
  for (const k of pick) allowed[k] = 1;
  return allowed;
}
