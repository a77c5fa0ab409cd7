/**
 * One pass over a prediction/reference pair: the overlap counts and the bounding box of the union P ∪ R per label,
 * so the distance work can be restricted to that box (plus a one-voxel margin). `scanLabels` does every label in the
 * same pass (and finds which labels are present), `scanLabel` one given label.
 */
import type { VoxelArray } from '../volume/index.ts';

/** Voxel counts and the union's bounding box for one label. Grid axes are padded to three (i, j, k). */
export interface LabelScan {
  /** Voxels in P ∩ R. */
  tp: number;
  /** Voxels in P (the prediction's label ℓ). */
  predCount: number;
  /** Voxels in R (the reference's label ℓ). */
  refCount: number;
  /** Lowest index per axis (i, j, k) of a voxel in P ∪ R; meaningless when the union is empty. */
  lo: [number, number, number];
  /** Highest index per axis (i, j, k) of a voxel in P ∪ R; −1 when the union is empty. */
  hi: [number, number, number];
}

/** Counts |P ∩ R|, |P|, |R| for `label` and the bounding box of P ∪ R on a grid of up to three axes `dims`. */
export function scanLabel(
  pred: VoxelArray,
  ref: VoxelArray,
  label: number,
  dims: readonly [number, number, number],
): LabelScan {
  const [nx, ny, nz] = dims;
  let tp = 0;
  let predCount = 0;
  let refCount = 0;
  let x0 = nx,
    y0 = ny,
    z0 = nz,
    x1 = -1,
    y1 = -1,
    z1 = -1;
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let rowLo = nx;
      let rowHi = -1;
      for (let x = 0; x < nx; x++, idx++) {
        const p = pred[idx] === label;
        const r = ref[idx] === label;
        if (p || r) {
          if (p) predCount++;
          if (r) refCount++;
          if (p && r) tp++;
          if (rowLo === nx) rowLo = x;
          rowHi = x;
        }
      }
      if (rowHi >= 0) {
        if (rowLo < x0) x0 = rowLo;
        if (rowHi > x1) x1 = rowHi;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  }
  return { tp, predCount, refCount, lo: [x0, y0, z0], hi: [x1, y1, z1] };
}

/** Scans of every non-zero label present in `pred` or `ref` (plus `extra` labels, absent ones as empty scans). */
export function scanLabels(
  pred: VoxelArray,
  ref: VoxelArray,
  dims: readonly [number, number, number],
  extra: readonly number[] = [],
): Map<number, LabelScan> {
  const [nx, ny, nz] = dims;
  // Slots per label value, found through a table for byte data and a Map otherwise; background voxels (both 0)
  // are the common case and cost one comparison each.
  const slotOf = new Map<number, number>();
  const byteSlots = new Int32Array(256).fill(-1);
  const bytes = pred instanceof Uint8Array && ref instanceof Uint8Array;
  const counts: number[] = []; // per slot: tp, predCount, refCount
  const boxes: number[] = []; // per slot: x0, y0, z0, x1, y1, z1
  const values: number[] = [];
  const slot = (v: number): number => {
    let s = bytes ? byteSlots[v] : (slotOf.get(v) ?? -1);
    if (s < 0) {
      s = values.length;
      values.push(v);
      counts.push(0, 0, 0);
      boxes.push(nx, ny, nz, -1, -1, -1);
      if (bytes) byteSlots[v] = s;
      else slotOf.set(v, s);
    }
    return s;
  };
  const grow = (s: number, x: number, y: number, z: number): void => {
    const b = 6 * s;
    if (x < boxes[b]) boxes[b] = x;
    if (y < boxes[b + 1]) boxes[b + 1] = y;
    if (z < boxes[b + 2]) boxes[b + 2] = z;
    if (x > boxes[b + 3]) boxes[b + 3] = x;
    if (y > boxes[b + 4]) boxes[b + 4] = y;
    if (z > boxes[b + 5]) boxes[b + 5] = z;
  };
  // Byte maps with rows of whole 32-bit words: background is skipped four voxels at a time.
  const words = bytes && nx % 4 === 0 && pred.byteOffset % 4 === 0 && ref.byteOffset % 4 === 0;
  const pred32 = words ? new Uint32Array(pred.buffer, pred.byteOffset, pred.length >> 2) : null;
  const ref32 = words ? new Uint32Array(ref.buffer, ref.byteOffset, ref.length >> 2) : null;
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, idx++) {
        if (pred32 !== null && (idx & 3) === 0 && (pred32[idx >> 2] | (ref32 as Uint32Array)[idx >> 2]) === 0) {
          x += 3;
          idx += 3;
          continue;
        }
        const p = pred[idx];
        const r = ref[idx];
        if (p === 0 && r === 0) continue;
        if (p !== 0) {
          const s = slot(p);
          counts[3 * s + 1]++;
          if (p === r) counts[3 * s]++;
          grow(s, x, y, z);
        }
        if (r !== 0) {
          const s = slot(r);
          counts[3 * s + 2]++;
          if (r !== p) grow(s, x, y, z);
        }
      }
    }
  }
  const scans = new Map<number, LabelScan>();
  for (const v of [...values, ...extra].sort((a, b) => a - b)) {
    if (scans.has(v)) continue;
    const s = values.indexOf(v);
    if (s < 0) {
      scans.set(v, { tp: 0, predCount: 0, refCount: 0, lo: [nx, ny, nz], hi: [-1, -1, -1] });
      continue;
    }
    const b = 6 * s;
    scans.set(v, {
      tp: counts[3 * s],
      predCount: counts[3 * s + 1],
      refCount: counts[3 * s + 2],
      lo: [boxes[b], boxes[b + 1], boxes[b + 2]],
      hi: [boxes[b + 3], boxes[b + 4], boxes[b + 5]],
    });
  }
  return scans;
}
