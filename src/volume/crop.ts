/**
 * Crop and pad in one step: the output covers a `Box` of voxel indices that may reach outside the input, whose
 * voxels are filled with a constant. The affine moves its origin to the box's first voxel so every voxel keeps
 * its world position (as ITK's RegionOfInterestImageFilter and nibabel's slicer do).
 */
import { MultiraterError } from '../errors.ts';
import type { Box } from './bounding-box.ts';
import { allocate, createVolume, formatShape, voxelCount, type Affine, type Volume } from './volume.ts';

/** Options of {@link crop}. */
export interface CropOptions {
  /** Value of output voxels that lie outside the input (in the volume's units); default 0. */
  fill?: number;
}

/**
 * The part of `volume` inside `box` (voxel indices, start inclusive, end exclusive; axes the box omits are
 * kept whole). Parts of the box outside the volume are padded with `fill`.
 */
export function crop<V extends Volume>(volume: V, box: Box, options: CropOptions = {}): V {
  const { shape, data } = volume;
  const dims = shape.length;
  const start = shape.map((_, a) => box.start[a] ?? 0);
  const end = shape.map((n, a) => box.end[a] ?? n);
  if (
    box.start.length > dims ||
    box.end.length !== box.start.length ||
    start.some((s, a) => !Number.isInteger(s) || !Number.isInteger(end[a]) || end[a] <= s)
  ) {
    throw new MultiraterError(
      'invalid_argument',
      `crop box [${box.start}]–[${box.end}] is not a non-empty integer box for a ${formatShape(shape)} volume`,
    );
  }
  const outShape = start.map((s, a) => end[a] - s);
  const out = allocate(volume.dtype, voxelCount(outShape));
  const fill = options.fill ?? 0;
  if (fill !== 0) out.fill(fill);
  const [n0, n1, n2] = [shape[0], shape[1] ?? 1, shape[2] ?? 1];
  const [s0, s1, s2, s3] = [start[0], start[1] ?? 0, start[2] ?? 0, start[3] ?? 0];
  const [m0, m1, m2, m3] = [outShape[0], outShape[1] ?? 1, outShape[2] ?? 1, outShape[3] ?? 1];
  const n3 = shape[3] ?? 1;
  // Each output row (fixed j, k, t) is one contiguous run of input voxels along i.
  const i0 = Math.max(0, s0);
  const i1 = Math.min(n0, s0 + m0);
  if (i1 > i0) {
    for (let t = 0; t < m3; t++) {
      const st = s3 + t;
      if (st < 0 || st >= n3) continue;
      for (let k = 0; k < m2; k++) {
        const sk = s2 + k;
        if (sk < 0 || sk >= n2) continue;
        for (let j = 0; j < m1; j++) {
          const sj = s1 + j;
          if (sj < 0 || sj >= n1) continue;
          const src = ((st * n2 + sk) * n1 + sj) * n0;
          const dst = ((t * m2 + k) * m1 + j) * m0 + (i0 - s0);
          out.set(data.subarray(src + i0, src + i1), dst);
        }
      }
    }
  }
  return createVolume(outShape, out, { spacing: volume.spacing, affine: shiftedAffine(volume.affine, start) }) as V;
}

/** The box of `size` centred in a grid of `shape` (reaching outside it where `size` is larger: padding). */
export function centredBox(shape: readonly number[], size: readonly number[]): Box {
  if (size.length !== shape.length) {
    throw new MultiraterError(
      'invalid_argument',
      `box size ${formatShape(size)} has not the ${shape.length} axes of ${formatShape(shape)}`,
    );
  }
  const start = shape.map((n, a) => Math.floor((n - size[a]) / 2));
  return { start, end: start.map((s, a) => s + size[a]) };
}

/** `affine` with its origin moved to voxel `start` (first three axes). */
export function shiftedAffine(affine: Affine, start: readonly number[]): Affine {
  const [a, b, c] = [start[0] ?? 0, start[1] ?? 0, start[2] ?? 0];
  return affine.map((row, r) =>
    r < 3 ? [row[0], row[1], row[2], row[0] * a + row[1] * b + row[2] * c + row[3]] : [...row],
  );
}
