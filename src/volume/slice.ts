/**
 * A 2D slice of a 3D volume, or a 3D frame of a 4D volume, with geometry that keeps every voxel's world
 * position. A slice's affine lists the two kept axes' columns first and the dropped axis's column third, with
 * the origin at the slice, so index (i, j, 0) of the slice maps where the voxel did in the volume.
 */
import { MultiraterError } from '../errors.ts';
import { shiftedAffine } from './crop.ts';
import { allocate, createVolume, formatShape, type Volume } from './volume.ts';

/** Options of {@link extractSlice}: the axis cut across and the index along it. */
export interface SliceOptions {
  /** Axis cut across: 0 (i), 1 (j) or 2 (k, the usual axial/short-axis slice); default 2. */
  axis?: 0 | 1 | 2;
  /** Voxel index along `axis`. */
  index: number;
}

/** The 2D slice of a 3D volume at `index` along `axis`. */
export function extractSlice<V extends Volume>(volume: V, options: SliceOptions): V {
  const { shape, data } = volume;
  const axis = options.axis ?? 2;
  if (shape.length !== 3)
    throw new MultiraterError('dimension_mismatch', `slice needs a 3D volume, got ${formatShape(shape)}`);
  if (axis !== 0 && axis !== 1 && axis !== 2)
    throw new MultiraterError('invalid_argument', `slice axis ${axis} is not 0, 1 or 2`);
  const index = options.index;
  if (!Number.isInteger(index) || index < 0 || index >= shape[axis]) {
    throw new MultiraterError(
      'invalid_argument',
      `slice index ${index} is outside 0–${shape[axis] - 1} on axis ${axis} of ${formatShape(shape)}`,
    );
  }
  const [n0, n1, n2] = shape;
  const kept = [0, 1, 2].filter((a) => a !== axis);
  const outShape = kept.map((a) => shape[a]);
  const out = allocate(volume.dtype, outShape[0] * outShape[1]);
  if (axis === 2) {
    out.set(data.subarray(index * n0 * n1, (index + 1) * n0 * n1));
  } else if (axis === 1) {
    for (let k = 0; k < n2; k++) out.set(data.subarray((k * n1 + index) * n0, (k * n1 + index + 1) * n0), k * n0);
  } else {
    for (let q = 0, p = index; q < n1 * n2; q++, p += n0) out[q] = data[p];
  }
  const origin = [0, 0, 0];
  origin[axis] = index;
  const moved = shiftedAffine(volume.affine, origin);
  const order = [...kept, axis];
  const affine = moved.map((row, r) => (r < 3 ? [row[order[0]], row[order[1]], row[order[2]], row[3]] : [...row]));
  return createVolume(outShape, out, { spacing: kept.map((a) => volume.spacing[a]), affine }) as V;
}

/** The 3D frame `t` (0-based) of a 4D volume; the spatial geometry is unchanged. */
export function extractFrame<V extends Volume>(volume: V, t: number): V {
  const { shape, data } = volume;
  if (shape.length !== 4)
    throw new MultiraterError('dimension_mismatch', `frame needs a 4D volume, got ${formatShape(shape)}`);
  if (!Number.isInteger(t) || t < 0 || t >= shape[3]) {
    throw new MultiraterError('invalid_argument', `frame ${t} is outside 0–${shape[3] - 1} of ${formatShape(shape)}`);
  }
  const n = shape[0] * shape[1] * shape[2];
  const out = allocate(volume.dtype, n);
  out.set(data.subarray(t * n, (t + 1) * n));
  return createVolume(shape.slice(0, 3), out, { spacing: volume.spacing.slice(0, 3), affine: volume.affine }) as V;
}
