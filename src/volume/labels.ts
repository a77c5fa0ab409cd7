/** Label sets and per-label masks of integer label maps. */
import type { Volume, VoxelArray } from './volume.ts';

/** Voxel count per distinct value, ascending by value. */
export function labelCounts(data: VoxelArray): Map<number, number> {
  const counts = new Map<number, number>();
  if (data instanceof Uint8Array) {
    const hist = new Float64Array(256);
    for (let i = 0; i < data.length; i++) hist[data[i]]++;
    for (let v = 0; v < 256; v++) if (hist[v] > 0) counts.set(v, hist[v]);
    return counts;
  }
  for (let i = 0; i < data.length; i++) counts.set(data[i], (counts.get(data[i]) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/** Voxel count per distinct value as `labelCounts`, or null as soon as there are more than `limit` distinct values. */
export function labelCountsAtMost(data: VoxelArray, limit: number): Map<number, number> | null {
  if (data instanceof Uint8Array) {
    const counts = labelCounts(data);
    return counts.size <= limit ? counts : null;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (counts.size === limit) return null;
    else counts.set(v, 1);
  }
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/** The sorted distinct non-zero labels of a label map. */
export function labelSet(volume: Pick<Volume, 'data'>): number[] {
  return [...labelCounts(volume.data).keys()].filter((v) => v !== 0);
}

/** A 0/1 mask of the voxels equal to `label`. */
export function labelMask(data: VoxelArray, label: number, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  for (let i = 0; i < data.length; i++) out[i] = data[i] === label ? 1 : 0;
  return out;
}

/**
 * How far (absolute) a float voxel may lie from a whole number and still be read as that label. Integer masks
 * stored with a tiny `scl_slope` (BraTS: 2.33e-10 × 4294967295 = 0.99999997) land within ~1e-7 of their label.
 */
export const LABEL_ROUNDING_TOLERANCE = 1e-6;

/**
 * Rounds float label voxels to whole numbers in place when every voxel lies within LABEL_ROUNDING_TOLERANCE of a
 * whole number ≥ 0; returns null then, else the first value that does not (and leaves `data` unchanged).
 * Integer arrays are only checked for negative values.
 */
export function roundLabelValues(data: VoxelArray): number | null {
  const float = data instanceof Float32Array || data instanceof Float64Array;
  let exact = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const r = Math.round(v);
    if (!(r >= 0) || Math.abs(v - r) > LABEL_ROUNDING_TOLERANCE) return v;
    if (r !== v) exact = false;
  }
  if (float && !exact) {
    // `+ 0` turns −0 (from values just below 0) into 0.
    for (let i = 0; i < data.length; i++) data[i] = Math.round(data[i]) + 0;
  }
  return null;
}
