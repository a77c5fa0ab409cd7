/**
 * The checked form every fusion method works on: the raters' label maps on one grid, each voxel's label replaced by
 * its index into the sorted set of labels seen in any rater. Checks: at least two raters, one grid, whole
 * non-negative labels up to 65535.
 */
import { MultiraterError } from '../errors.ts';
import { assertSameGrid } from '../volume/index.ts';
import { isIntegerDType, type Volume } from '../volume/index.ts';

/** Label indices of one rater, one per voxel. */
export type LabelIndexArray = Uint8Array | Uint16Array;

/** Largest label value fusion accepts. */
export const MAX_LABEL = 65535;

/**
 * The raters' label maps checked onto one grid and re-coded as indices into their common label list (`stackRaters`).
 */
export interface RaterStack {
  /** The raters' volumes as given (the first one's grid is the output grid). */
  volumes: readonly Volume[];
  /** Names used in messages and reports (file names, or `rater1`, `rater2`, …). */
  names: string[];
  /** Voxels per rater. */
  voxels: number;
  /** Distinct label values over all raters, ascending. */
  labels: number[];
  /** Per rater, each voxel's index into `labels`. */
  indices: LabelIndexArray[];
}

/** Options of `stackRaters`: names for messages and an optional mask. */
export interface StackRatersOptions {
  /** Names of the raters for messages (file paths); default `rater1`, `rater2`, …. */
  names?: readonly string[];
  /** A 0/1 mask on the same grid; voxels where it is 0 take no part in fusion. */
  mask?: Volume;
}

/** Validates `raters` and indexes their labels. Throws `invalid_argument`, `grid_mismatch` or `invalid_label`. */
export function stackRaters(raters: readonly Volume[], options: StackRatersOptions = {}): RaterStack {
  const names = raters.map((_, i) => options.names?.[i] ?? `rater${i + 1}`);
  if (raters.length < 2) {
    const which = raters.length === 1 ? ` (${names[0]})` : '';
    throw new MultiraterError('invalid_argument', `label fusion needs at least 2 raters, got ${raters.length}${which}`);
  }
  for (let r = 1; r < raters.length; r++) assertSameGrid(raters[r], names[r], raters[0], names[0]);
  if (options.mask) assertSameGrid(options.mask, 'mask', raters[0], names[0]);
  const present = new Uint8Array(MAX_LABEL + 1);
  raters.forEach((v, r) => markLabels(v, names[r], present));
  const labels: number[] = [];
  const lut = new Uint16Array(MAX_LABEL + 1);
  for (let l = 0; l <= MAX_LABEL; l++) {
    if (present[l]) {
      lut[l] = labels.length;
      labels.push(l);
    }
  }
  const voxels = raters[0].data.length;
  // Labels 0, 1, …, L−1 in uint8 volumes are their own indices: no copy.
  const identity = labels.every((l, i) => l === i);
  const indices = raters.map((v): LabelIndexArray => {
    if (identity && v.data instanceof Uint8Array) return v.data;
    const out = labels.length <= 256 ? new Uint8Array(voxels) : new Uint16Array(voxels);
    if (v.data instanceof Uint8Array) mapUint8(v.data, lut, out);
    else mapAny(v.data, lut, out);
    return out;
  });
  return { volumes: raters, names, voxels, labels, indices };
}

/** The 0/1 inclusion mask of `mask` (non-zero = inside), or null for "everywhere". */
export function maskArray(mask: Volume | undefined): Uint8Array | null {
  if (!mask) return null;
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] !== 0 ? 1 : 0;
  return out;
}

// Hot loops are split per array type so each stays monomorphic (uint8 is by far the common label type).
function mapUint8(d: Uint8Array, lut: Uint16Array, out: LabelIndexArray): void {
  for (let i = 0; i < d.length; i++) out[i] = lut[d[i]];
}

function mapAny(d: Volume['data'], lut: Uint16Array, out: LabelIndexArray): void {
  for (let i = 0; i < d.length; i++) out[i] = lut[d[i]];
}

function markLabels(volume: Volume, name: string, present: Uint8Array): void {
  if (volume.data instanceof Uint8Array) {
    const d = volume.data;
    for (let i = 0; i < d.length; i++) present[d[i]] = 1;
    return;
  }
  const d = volume.data;
  const integer = isIntegerDType(volume.dtype);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < 0 || v > MAX_LABEL || (!integer && !Number.isInteger(v))) {
      throw new MultiraterError(
        'invalid_label',
        `${name}: label maps need whole labels 0–${MAX_LABEL}, found ${v} at voxel ${i}`,
      );
    }
    present[v] = 1;
  }
}
