/**
 * Base / mid / apex slice position, as the breakdowns of cardiac segmentation studies (e.g. Bernard et al.,
 * IEEE TMI 2018, and the non-expert annotation study): the slices between the first and last that contain the
 * structure in the reference are split into thirds along the slice axis: slice t (0-based) of those m goes to
 * third ⌊3t/m⌋. Which end is the base is taken from the data unless given: the basal third holds more of the
 * structure than the apical one, because the ventricles taper towards the apex.
 */
import type { Volume } from '../volume/index.ts';

/** Third of the structure's slice range a slice falls in: basal, mid-ventricular or apical. */
export type SlicePosition = 'base' | 'mid' | 'apex';

/** Options of `slicePositions`: slice axis, the structure's labels, which end is the base. */
export interface SlicePositionOptions {
  /** Slice axis (0-based); default 2, the k axis of short-axis stacks. */
  axis?: number;
  /** Label values forming the structure; default every non-zero value. */
  labels?: readonly number[];
  /** Which end of the axis is the base: 'first' (lowest index), 'last', or 'auto' (default, the fuller third). */
  baseAt?: 'first' | 'last' | 'auto';
}

/** The position of every slice along the axis; null for slices outside the structure's extent. */
export function slicePositions(reference: Volume, options: SlicePositionOptions = {}): (SlicePosition | null)[] {
  const axis = options.axis ?? 2;
  const shape = reference.shape;
  const len = shape[axis] ?? 1;
  const inner = shape.slice(0, axis).reduce((p, s) => p * s, 1);
  const labelSet = options.labels ? new Set(options.labels) : null;
  const perSlice = new Float64Array(len);
  const data = reference.data;
  for (let idx = 0; idx < data.length; idx++) {
    const v = data[idx];
    if (v !== 0 && (labelSet === null || labelSet.has(v))) perSlice[Math.floor(idx / inner) % len]++;
  }
  let first = -1;
  let last = -1;
  for (let s = 0; s < len; s++) {
    if (perSlice[s] > 0) {
      if (first < 0) first = s;
      last = s;
    }
  }
  const out: (SlicePosition | null)[] = new Array(len).fill(null);
  if (first < 0) return out;
  const m = last - first + 1;
  const third = (s: number): number => Math.floor((3 * (s - first)) / m);
  let baseFirst = options.baseAt !== 'last';
  if ((options.baseAt ?? 'auto') === 'auto') {
    let low = 0;
    let high = 0;
    for (let s = first; s <= last; s++) {
      if (third(s) === 0) low += perSlice[s];
      if (third(s) === 2) high += perSlice[s];
    }
    baseFirst = low >= high;
  }
  const names: SlicePosition[] = baseFirst ? ['base', 'mid', 'apex'] : ['apex', 'mid', 'base'];
  for (let s = first; s <= last; s++) out[s] = names[third(s)];
  return out;
}

/**
 * Dice per label restricted to the slices of each position (2·TP / (|P| + |R|) over those slices; 1 when both
 * are empty there). `positions` comes from `slicePositions` on the same grid and axis.
 */
export function regionDice(
  pred: Volume,
  ref: Volume,
  labels: readonly number[],
  positions: readonly (SlicePosition | null)[],
  options: { axis?: number } = {},
): Record<SlicePosition, Record<string, number>> {
  const axis = options.axis ?? 2;
  const len = ref.shape[axis] ?? 1;
  const inner = ref.shape.slice(0, axis).reduce((p, s) => p * s, 1);
  const outer = ref.data.length / (inner * len);
  const regions: SlicePosition[] = ['base', 'mid', 'apex'];
  const out = {} as Record<SlicePosition, Record<string, number>>;
  for (const region of regions) out[region] = {};
  labels.forEach((label) => {
    const tp = [0, 0, 0];
    const sum = [0, 0, 0];
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < len; s++) {
        const pos = positions[s];
        if (pos === null) continue;
        const r = regions.indexOf(pos);
        const start = inner * (s + len * o);
        for (let idx = start; idx < start + inner; idx++) {
          const inPred = pred.data[idx] === label;
          const inRef = ref.data[idx] === label;
          if (inPred && inRef) tp[r]++;
          if (inPred) sum[r]++;
          if (inRef) sum[r]++;
        }
      }
    }
    regions.forEach((region, r) => {
      out[region][String(label)] = sum[r] === 0 ? 1 : (2 * tp[r]) / sum[r];
    });
  });
  return out;
}
