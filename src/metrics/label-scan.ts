/**
 * One pass over a prediction/reference pair for one label: the overlap counts and the bounding box of the union
 * P ∪ R, so the distance work can be restricted to that box (plus a one-voxel margin).
 */
import type { VoxelArray } from '../volume/volume.ts';

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
export function scanLabel(pred: VoxelArray, ref: VoxelArray, label: number, dims: readonly [number, number, number]): LabelScan {
  const [nx, ny, nz] = dims;
  let tp = 0;
  let predCount = 0;
  let refCount = 0;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
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
