/** Tiny synthetic training cases for the data-pipeline tests: shapes whose image and label are known exactly. */
import { createVolume } from '../src/volume/volume.ts';
import type { TrainingCase } from '../src/data/training-cases.ts';

/** A case from per-voxel functions of (i, j, k) on a 3D grid. */
export function syntheticCase(
  id: string,
  shape: [number, number, number],
  spacing: [number, number, number],
  image: (i: number, j: number, k: number) => number,
  label: (i: number, j: number, k: number) => number,
): TrainingCase {
  const [nx, ny, nz] = shape;
  const img = new Float32Array(nx * ny * nz);
  const lab = new Uint8Array(nx * ny * nz);
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        img[p] = image(i, j, k);
        lab[p] = label(i, j, k);
      }
    }
  }
  return {
    id,
    image: createVolume([...shape], img, { spacing: [...spacing] }),
    label: createVolume([...shape], lab, { spacing: [...spacing] }),
    meta: {},
  };
}

/** A bright box (image 1, label `value`) on a dark background (0) spanning voxels [lo, hi) per axis. */
export function boxCase(
  id: string,
  shape: [number, number, number],
  spacing: [number, number, number],
  lo: [number, number, number],
  hi: [number, number, number],
  value = 1,
): TrainingCase {
  const inside = (i: number, j: number, k: number) =>
    i >= lo[0] && i < hi[0] && j >= lo[1] && j < hi[1] && k >= lo[2] && k < hi[2];
  return syntheticCase(
    id,
    shape,
    spacing,
    (i, j, k) => (inside(i, j, k) ? 1 : 0),
    (i, j, k) => (inside(i, j, k) ? value : 0),
  );
}
