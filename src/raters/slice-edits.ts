/**
 * Slice-level habits of raters on a stack of 2D slices (third axis): leaving out the first or last slices of a
 * structure (the apex, the base, the condyles), and drawing only every n-th slice and copying it to the slices
 * in between (the dosimetrist's shortcut).
 */
import type { Rng } from '../random/index.ts';

/** Indices of the slices (third axis) holding any voxel whose label is in `labels` (any non-zero label when absent). */
export function labelledSlices(labels: Uint8Array, shape: readonly number[], which?: readonly number[]): number[] {
  const per = shape[0] * shape[1];
  const member = new Uint8Array(256);
  if (which) for (const l of which) member[l] = 1;
  else member.fill(1, 1);
  const out: number[] = [];
  for (let k = 0; k < labels.length / per; k++) {
    for (let v = k * per; v < (k + 1) * per; v++) {
      if (member[labels[v]]) {
        out.push(k);
        break;
      }
    }
  }
  return out;
}

/**
 * Options of `omitSlices`: the structure, which end of its slice extent, how many slices and how likely each is left
 * out.
 */
export interface OmitSlicesOptions {
  /** Labels that define the structure's extent and are erased; default every non-zero label. */
  labels?: number[];
  /** Which end of the extent: the first slices (lowest index) or the last. */
  end: 'first' | 'last';
  /** How many slices at that end are candidates. */
  count: number;
  /** Chance that each candidate slice is left out. */
  probability: number;
}

/** Erases `options.labels` in candidate end slices, each with the given probability, in place. */
export function omitSlices(labels: Uint8Array, shape: readonly number[], rng: Rng, options: OmitSlicesOptions): void {
  const slices = labelledSlices(labels, shape, options.labels);
  const ends = options.end === 'first' ? slices.slice(0, options.count) : slices.slice(-options.count).reverse();
  const per = shape[0] * shape[1];
  const member = new Uint8Array(256);
  if (options.labels) for (const l of options.labels) member[l] = 1;
  else member.fill(1, 1);
  for (const k of ends) {
    if (rng.uniform() >= options.probability) continue;
    for (let v = k * per; v < (k + 1) * per; v++) if (member[labels[v]]) labels[v] = 0;
  }
}

/** Options of `skipSlices`: draw one slice in `every`. */
export interface SkipSlicesOptions {
  /** Draw one slice in `every`; the others copy the last drawn slice below them. */
  every: number;
}

/** Keeps every n-th labelled slice (random phase) and copies it over the skipped ones, in place. */
export function skipSlices(labels: Uint8Array, shape: readonly number[], rng: Rng, options: SkipSlicesOptions): void {
  const slices = labelledSlices(labels, shape);
  if (slices.length === 0 || options.every <= 1) return;
  const per = shape[0] * shape[1];
  const phase = rng.int(options.every);
  const first = slices[0];
  const last = slices[slices.length - 1];
  let drawn = -1;
  for (let k = first; k <= last; k++) {
    if ((k - first) % options.every === phase || drawn < 0) {
      drawn = k;
      continue;
    }
    labels.copyWithin(k * per, drawn * per, (drawn + 1) * per);
  }
}
