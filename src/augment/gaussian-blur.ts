/**
 * Separable Gaussian smoothing of a float32 grid (scipy.ndimage.gaussian_filter with mode 'nearest' and
 * truncate 3): volume's sampled Gaussian kernel of radius ceil(3σ), one pass per axis, edges replicated.
 * Used by the blur augmentation and to smooth elastic displacement fields.
 */
import { gaussianKernel, smoothSeparable } from '../volume/index.ts';

/** Blurs `data` (i fastest, `shape` [nx, ny, nz]) in place with σ per axis in voxels (0 = that axis untouched). */
export function gaussianBlur(
  data: Float32Array,
  shape: readonly [number, number, number],
  sigma: readonly number[],
): Float32Array {
  const kernels = shape.map((n, a) =>
    n > 1 ? gaussianKernel(sigma[a] ?? 0, { kind: 'sampled' }) : Float64Array.of(1),
  );
  smoothSeparable([data], { dims: 3, nx: shape[0], ny: shape[1], nz: shape[2] }, kernels);
  return data;
}
