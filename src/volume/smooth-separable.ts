/**
 * Separable smoothing of float32 grids with symmetric half kernels (`gaussian-kernel.ts`), the edge value repeated
 * beyond the border (ITK's ZeroFluxNeumann boundary condition, scipy.ndimage's mode 'nearest'). Per voxel the sum is
 * c0·v + c1·(v₋₁ + v₊₁) + c2·(v₋₂ + v₊₂) + …, in float64, rounded to float32 after each axis.
 */

/** The grid the arrays lie on: i fastest, then j, then k; `dims` axes are smoothed (2 = every k plane alone). */
export interface SeparableGrid {
  /** Axes smoothed: 2 smooths i and j (every k plane on its own), 3 also k. */
  dims: number;
  /** Voxels along i (the fastest axis). */
  nx: number;
  /** Voxels along j. */
  ny: number;
  /** Voxels along k; 1 for a 2D grid. */
  nz: number;
}

/**
 * Smooths each array (on grid g) in place along every axis of the grid with the half kernels per axis (`gaussianKernel`,
 * either kind; [1] leaves an axis untouched). Each axis is
 * one pass from one buffer into the other (`scratch`, a Float32Array of the grid's size, allocated when not given),
 * rounded to float32 in between as the arrays hold it; a 2D plane takes both passes in one sweep. The work is done
 * a row at a time (a row along i, or a row of voxels filtered across rows along j or k, reading memory in order):
 * short calls that V8 optimises after a few rows rather than after a whole pass.
 */
export function smoothSeparable(
  arrays: readonly Float32Array[],
  g: SeparableGrid,
  kernels: readonly Float64Array[],
  scratch?: Float32Array,
): void {
  const n = g.nx * g.ny * g.nz;
  const tmp = scratch !== undefined && scratch.length >= n ? scratch : new Float32Array(n);
  const radius = kernels.reduce((r, k) => Math.max(r, k.length - 1), 0);
  const lo = new Int32Array(radius + 1);
  const hi = new Int32Array(radius + 1);
  for (const data of arrays) {
    if (g.dims === 2 && g.nx > 1 && g.ny > 1 && kernels[0].length > 1 && kernels[1].length > 1) {
      smoothPlane(data, tmp, g.nx, g.ny, kernels[0], kernels[1], lo, hi);
      continue;
    }
    let src = data;
    let dst = tmp;
    for (let a = 0; a < g.dims; a++) {
      const len = a === 0 ? g.nx : a === 1 ? g.ny : g.nz;
      const kernel = kernels[a];
      if (len === 1 || kernel.length === 1) continue;
      if (a === 0) for (let start = 0; start < n; start += g.nx) smoothRow(src, dst, start, g.nx, kernel);
      else smoothAxis(src, dst, len, a === 1 ? g.nx : g.nx * g.ny, n, kernel, lo, hi);
      [src, dst] = [dst, src];
    }
    if (src !== data) data.set(src.subarray(0, n));
  }
}

/** Sets `lo`/`hi` to the offsets of the rows m = 1…r before and after row q of a block (clamped to its edge rows). */
function neighbourRows(
  lo: Int32Array,
  hi: Int32Array,
  r: number,
  block: number,
  q: number,
  last: number,
  stride: number,
): void {
  for (let m = 1; m <= r; m++) {
    lo[m] = block + (q < m ? 0 : q - m) * stride;
    hi[m] = block + (q + m > last ? last : q + m) * stride;
  }
}

/**
 * Both passes over a 2D plane in one sweep: row t is filtered along i into `tmp`, then row t − r_y, whose
 * neighbours along j are all in `tmp` by then, is filtered along j back into `data` (rows already read along i).
 */
function smoothPlane(
  data: Float32Array,
  tmp: Float32Array,
  nx: number,
  ny: number,
  kx: Float64Array,
  ky: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
): void {
  const ry = ky.length - 1;
  for (let t = 0; t < ny + ry; t++) {
    if (t < ny) smoothRow(data, tmp, t * nx, nx, kx);
    const j = t - ry;
    if (j < 0) continue;
    neighbourRows(lo, hi, ry, 0, j, ny - 1, nx);
    smoothAcross(tmp, data, j * nx, nx, ky, lo, hi);
  }
}

/** The pass along j (stride nx) or k (stride nx·ny) of an axis `len` voxels long, row by row. */
function smoothAxis(
  src: Float32Array,
  dst: Float32Array,
  len: number,
  stride: number,
  n: number,
  kernel: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
): void {
  const r = kernel.length - 1;
  for (let block = 0; block < n; block += len * stride) {
    for (let q = 0; q < len; q++) {
      neighbourRows(lo, hi, r, block, q, len - 1, stride);
      smoothAcross(src, dst, block + q * stride, stride, kernel, lo, hi);
    }
  }
}

/** One row of `nx` along i from `start`: the r voxels at each end repeat the edge value, the interior needs no clamping. */
function smoothRow(src: Float32Array, dst: Float32Array, start: number, nx: number, kernel: Float64Array): void {
  const r = kernel.length - 1;
  const k0 = kernel[0];
  const last = nx - 1;
  const interiorEnd = start + last - r;
  // The interior first; ITK's default σ = 1 kernel (r = 2) spelled out, the same sums in the same order.
  if (r === 2) {
    const k1 = kernel[1];
    const k2 = kernel[2];
    for (let p = start + 2; p <= interiorEnd; p++)
      dst[p] = k0 * src[p] + k1 * (src[p - 1] + src[p + 1]) + k2 * (src[p - 2] + src[p + 2]);
  } else {
    for (let p = start + r; p <= interiorEnd; p++) {
      let s = k0 * src[p];
      for (let m = 1; m <= r; m++) s += kernel[m] * (src[p - m] + src[p + m]);
      dst[p] = s;
    }
  }
  for (let q = 0; q < nx; q++) {
    if (q >= r && q <= last - r) continue;
    let s = k0 * src[start + q];
    for (let m = 1; m <= r; m++)
      s += kernel[m] * (src[start + (q < m ? 0 : q - m)] + src[start + (q + m > last ? last : q + m)]);
    dst[start + q] = s;
  }
}

/**
 * `count` voxels from `base` filtered across rows: the neighbours m rows away start at lo[m] and hi[m]; the same
 * sums, in the same order, as along i.
 */
function smoothAcross(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  count: number,
  kernel: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
): void {
  const r = kernel.length - 1;
  const k0 = kernel[0];
  if (r === 2) {
    const [k1, k2, a1, a2, b1, b2] = [kernel[1], kernel[2], lo[1], lo[2], hi[1], hi[2]];
    for (let i = 0; i < count; i++)
      dst[base + i] = k0 * src[base + i] + k1 * (src[a1 + i] + src[b1 + i]) + k2 * (src[a2 + i] + src[b2 + i]);
    return;
  }
  for (let i = 0; i < count; i++) {
    let s = k0 * src[base + i];
    for (let m = 1; m <= r; m++) s += kernel[m] * (src[lo[m] + i] + src[hi[m] + i]);
    dst[base + i] = s;
  }
}
