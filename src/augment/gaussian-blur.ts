/**
 * Separable Gaussian smoothing of a float32 grid (scipy.ndimage.gaussian_filter with mode 'nearest' and
 * truncate 3): one 1D pass per axis with a normalised kernel of radius ceil(3σ), edges replicated.
 * Used by the blur augmentation and to smooth elastic displacement fields.
 */

/** Blurs `data` (i fastest, `shape` [nx, ny, nz]) in place with σ per axis in voxels (0 = that axis untouched). */
export function gaussianBlur(
  data: Float32Array,
  shape: readonly [number, number, number],
  sigma: readonly number[],
): Float32Array {
  for (let axis = 0; axis < 3; axis++) {
    const s = sigma[axis] ?? 0;
    if (s > 0 && shape[axis] > 1) blurAxis(data, shape, axis, gaussianKernel(s));
  }
  return data;
}

/** Normalised 1D Gaussian weights for offsets −r…r, r = ceil(3σ), σ in voxels. */
export function gaussianKernel(sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += k[i + r];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

function blurAxis(
  data: Float32Array,
  shape: readonly [number, number, number],
  axis: number,
  kernel: Float64Array,
): void {
  const n = shape[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? shape[0] : shape[0] * shape[1];
  const r = (kernel.length - 1) / 2;
  const taps = kernel.length;
  // The line is copied with r replicated edge values on each side, so the convolution needs no bounds checks.
  const line = new Float32Array(n + 2 * r);
  const [nx, ny, nz] = shape;
  // Lines along `axis` start at every voxel whose `axis` index is 0.
  const ni = axis === 0 ? 1 : nx;
  const nj = axis === 1 ? 1 : ny;
  const nk = axis === 2 ? 1 : nz;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const base = (k * ny + j) * nx + i;
        for (let p = 0; p < n; p++) line[p + r] = data[base + p * stride];
        line.fill(line[r], 0, r);
        line.fill(line[n + r - 1], n + r);
        for (let p = 0; p < n; p++) {
          let acc = 0;
          for (let q = 0; q < taps; q++) acc += kernel[q] * line[p + q];
          data[base + p * stride] = acc;
        }
      }
    }
  }
}
