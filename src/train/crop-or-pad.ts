/**
 * Crop or pad a volume to a fixed size (nnU-Net's and MONAI's `ResizeWithPadOrCrop`/`SpatialCrop` in one step):
 * a window of `size` voxels starting at index `start` (negative or past the end = padding). The window is chosen
 * around the volume's centre or around the label's bounding box; the affine follows the window, so the result
 * keeps its world position and a prediction can be put back with the recorded `start`.
 */
import { MultiraterError } from '../errors.ts';
import { allocate, createVolume, formatShape, type Affine, type Volume } from '../volume/volume.ts';

/** Start index per axis of a `size` window centred on `centre` (voxel index, may be fractional). */
export function windowStart(shape: readonly number[], size: readonly number[], centre: readonly number[]): number[] {
  return shape.map((n, a) => {
    const s = size[a];
    const start = Math.floor(centre[a] + 0.5 - s / 2);
    // A window that fits stays inside the volume, so it is not padded needlessly.
    return s <= n ? Math.min(Math.max(start, 0), n - s) : Math.floor((n - s) / 2);
  });
}

/** Centre (voxel index, per axis) of the bounding box of the non-zero voxels, or null when there are none. */
export function labelBoundingBoxCentre(label: Volume): number[] | null {
  const [nx, ny = 1, nz = 1] = label.shape;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  const d = label.data;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        if (d[p] === 0) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  if (hi[0] < 0) return null;
  return label.shape.map((_, a) => (lo[a] + hi[a]) / 2);
}

/** The `size` window of `volume` starting at `start` (per axis, any integer); outside voxels are `padValue`. */
export function cropOrPadVolume<V extends Volume>(volume: V, start: readonly number[], size: readonly number[], padValue = 0): V {
  const dims = volume.shape.length;
  if (dims > 3 || start.length !== dims || size.length !== dims) {
    throw new MultiraterError('dimension_mismatch', `crop of a ${formatShape(volume.shape)} volume needs ${dims} starts and sizes (1–3D)`);
  }
  const [nx, ny = 1, nz = 1] = volume.shape;
  const [sx, sy = 1, sz = 1] = size;
  const [ox, oy = 0, oz = 0] = start;
  const out = allocate(volume.dtype, sx * sy * sz);
  if (padValue !== 0) out.fill(padValue);
  const src = volume.data;
  const i0 = Math.max(0, -ox);
  const i1 = Math.min(sx, nx - ox);
  for (let k = 0; k < sz; k++) {
    const zk = k + oz;
    if (zk < 0 || zk >= nz) continue;
    for (let j = 0; j < sy; j++) {
      const yj = j + oy;
      if (yj < 0 || yj >= ny) continue;
      if (i1 <= i0) continue;
      const from = (zk * ny + yj) * nx + ox;
      out.set(src.subarray(from + i0, from + i1), (k * sy + j) * sx + i0);
    }
  }
  return createVolume([...size], out, { spacing: volume.spacing, affine: shiftedAffine(volume.affine, start) }) as V;
}

export interface CropOrPadOptions {
  /** Output size in voxels per axis; `null` keeps that axis (e.g. `[128, 128, null]` for in-plane only). */
  size: readonly (number | null)[];
  /** Window centre: the volume's centre (default) or the label's bounding-box centre (volume centre if empty). */
  around?: 'centre' | 'label';
  /** Image value for padded voxels (labels pad with 0); default 0. */
  padValue?: number;
}

export interface CropOrPadResult<I extends Volume, L extends Volume> {
  image: I;
  label: L;
  /** Index in the input of the output's first voxel, per axis (negative = padded before). */
  start: number[];
}

/** Crops or pads an image and its label map with the same window. */
export function cropOrPad<I extends Volume, L extends Volume>(image: I, label: L, options: CropOrPadOptions): CropOrPadResult<I, L> {
  const size = image.shape.map((n, a) => options.size[a] ?? n);
  const volumeCentre = image.shape.map((n) => (n - 1) / 2);
  const centre = options.around === 'label' ? (labelBoundingBoxCentre(label) ?? volumeCentre) : volumeCentre;
  // Axes kept at full size keep their whole extent whatever the centre.
  const start = windowStart(image.shape, size, centre).map((s, a) => (options.size[a] == null ? 0 : s));
  return {
    image: cropOrPadVolume(image, start, size, options.padValue ?? 0),
    label: cropOrPadVolume(label, start, size, 0),
    start,
  };
}

function shiftedAffine(affine: Affine, start: readonly number[]): Affine {
  return affine.map((row, r) => {
    const out = [...row];
    if (r < 3) for (let c = 0; c < start.length && c < 3; c++) out[3] += row[c] * start[c];
    return out;
  });
}
