/**
 * Exact Euclidean distance transform with anisotropic spacing, in linear time: Felzenszwalb & Huttenlocher,
 * "Distance Transforms of Sampled Functions" (Theory of Computing 8, 2012) — the 1D lower envelope of parabolas,
 * applied along each axis in turn. Distances are between voxel centres, in mm.
 */
import { MultiraterError } from '../errors.ts';
import { voxelCount } from './volume.ts';

/** Options of {@link distanceTransform} and {@link squaredDistanceTransform}: voxel size, output buffer. */
export interface DistanceTransformOptions {
  /** Voxel size per axis in mm; default 1 on every axis. */
  spacing?: readonly number[];
  /** Output array to fill (length = voxel count); allocated when absent. */
  out?: Float64Array;
}

/**
 * Squared distance (mm²) from every voxel to the nearest voxel where `features` is non-zero;
 * `Infinity` everywhere when there is no feature voxel.
 */
export function squaredDistanceTransform(
  features: ArrayLike<number>,
  shape: readonly number[],
  options: DistanceTransformOptions = {},
): Float64Array {
  const n = voxelCount(shape);
  if (features.length !== n) {
    throw new MultiraterError(
      'size_mismatch',
      `distance transform: ${features.length} voxels for shape ${shape.join('×')}`,
    );
  }
  const spacing = options.spacing ?? shape.map(() => 1);
  const dist = options.out ?? new Float64Array(n);
  firstAxisPass(features, shape[0], n / shape[0], spacing[0] ?? 1, dist);
  const longest = Math.max(...shape);
  const f = new Float64Array(longest);
  const vx = new Float64Array(longest);
  const vf = new Float64Array(longest);
  const vh = new Float64Array(longest);
  const z = new Float64Array(longest + 1);
  let stride = shape[0];
  for (let axis = 1; axis < shape.length; axis++) {
    const len = shape[axis];
    const s = spacing[axis];
    if (len > 1) {
      const outer = n / (len * stride);
      for (let o = 0; o < outer; o++) {
        const base0 = o * len * stride;
        for (let inner = 0; inner < stride; inner++) {
          const base = base0 + inner;
          let any = false;
          for (let q = 0, p = base; q < len; q++, p += stride) {
            f[q] = dist[p];
            if (f[q] !== Infinity) any = true;
          }
          if (!any) continue;
          lowerEnvelope(f, len, s, dist, base, stride, vx, vf, vh, z);
        }
      }
    }
    stride *= len;
  }
  return dist;
}

/** Distance (mm) to the nearest non-zero voxel of `features`; `Infinity` when there is none. */
export function distanceTransform(
  features: ArrayLike<number>,
  shape: readonly number[],
  options: DistanceTransformOptions = {},
): Float64Array {
  const dist = squaredDistanceTransform(features, shape, options);
  for (let i = 0; i < dist.length; i++) dist[i] = Math.sqrt(dist[i]);
  return dist;
}

/**
 * The first axis (contiguous rows of `len` voxels) needs no parabolas: the squared distance to the nearest
 * feature of the same row, found by one forward and one backward scan per row.
 */
function firstAxisPass(features: ArrayLike<number>, len: number, rows: number, s: number, dist: Float64Array): void {
  for (let r = 0, base = 0; r < rows; r++, base += len) {
    let last = -1;
    for (let q = 0; q < len; q++) {
      if (features[base + q] !== 0) last = q;
      if (last < 0) dist[base + q] = Infinity;
      else {
        const dx = (q - last) * s;
        dist[base + q] = dx * dx;
      }
    }
    if (last < 0) continue;
    let next = -1;
    for (let q = len - 1; q >= 0; q--) {
      if (features[base + q] !== 0) next = q;
      if (next >= 0) {
        const dx = (next - q) * s;
        const dd = dx * dx;
        if (dd < dist[base + q]) dist[base + q] = dd;
      }
    }
  }
}

/**
 * dist[base + q·stride] = min_p (s·(q − p))² + f[p] over the n samples of f (at least one finite). The stack holds
 * each kept parabola's vertex position (mm) and height f[p] + x_p², so the intersection needs one division.
 */
function lowerEnvelope(
  f: Float64Array,
  n: number,
  s: number,
  dist: Float64Array,
  base: number,
  stride: number,
  vx: Float64Array,
  vf: Float64Array,
  vh: Float64Array,
  z: Float64Array,
): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Infinity) continue;
    const xq = q * s;
    const hq = fq + xq * xq;
    let x = -Infinity;
    while (k >= 0) {
      x = (hq - vh[k]) / (2 * (xq - vx[k]));
      if (x <= z[k]) k--;
      else break;
    }
    k++;
    vx[k] = xq;
    vf[k] = fq;
    vh[k] = hq;
    z[k] = k === 0 ? -Infinity : x;
    z[k + 1] = Infinity;
  }
  let j = 0;
  for (let q = 0, p = base; q < n; q++, p += stride) {
    const xq = q * s;
    while (z[j + 1] < xq) j++;
    const dx = xq - vx[j];
    dist[p] = dx * dx + vf[j];
  }
}
