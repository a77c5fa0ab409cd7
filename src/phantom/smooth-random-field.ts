/**
 * Smooth random scalar fields: independent standard normals on a lattice of step `correlationMm`, interpolated
 * with the cubic B-spline (the random free-form deformation of Rueckert et al., IEEE TMI 18(8), 1999, used as a
 * texture and as a boundary jitter), then rescaled to unit root-mean-square over the grid. The tensor-product
 * spline is evaluated axis by axis, so the cost is a few passes over the grid whatever the correlation length.
 */
import type { Rng } from '../random/index.ts';
import { voxelCount } from '../volume/index.ts';

/** Options of `smoothRandomField`: correlation length and voxel size, mm. */
export interface SmoothRandomFieldOptions {
  /** Lattice step per axis (or one for all), in mm: the distance over which values decorrelate. */
  correlationMm: number | readonly number[];
  /** Voxel size per axis, in mm; default 1. */
  spacing?: readonly number[];
}

/** A field on `shape` (i fastest) with unit RMS, smooth over `correlationMm`, drawn from `rng`. */
export function smoothRandomField(shape: readonly number[], rng: Rng, options: SmoothRandomFieldOptions): Float32Array {
  const spacing = options.spacing ?? shape.map(() => 1);
  const steps = shape.map((_, a) => {
    const c =
      typeof options.correlationMm === 'number'
        ? options.correlationMm
        : (options.correlationMm[a] ?? options.correlationMm[0]);
    return Math.max(c, 1e-6);
  });
  // Lattice extents: enough knots to cover the grid plus the spline's support on each side.
  const lattice = shape.map((n, a) => Math.ceil(((n - 1) * spacing[a]) / steps[a]) + 4);
  let current = new Float64Array(voxelCount(lattice));
  for (let i = 0; i < current.length; i++) current[i] = rng.normal();
  let dims = [...lattice];
  for (let axis = 0; axis < shape.length; axis++) {
    const next = new Float64Array((current.length / dims[axis]) * shape[axis]);
    interpolateAxis(current, dims, axis, shape[axis], spacing[axis] / steps[axis], next);
    dims[axis] = shape[axis];
    current = next;
  }
  let sumSq = 0;
  for (let i = 0; i < current.length; i++) sumSq += current[i] * current[i];
  const scale = sumSq > 0 ? 1 / Math.sqrt(sumSq / current.length) : 0;
  const out = new Float32Array(current.length);
  for (let i = 0; i < current.length; i++) out[i] = current[i] * scale;
  return out;
}

/** Cubic B-spline interpolation along `axis` from `dims[axis]` knots to `n` samples spaced `ratio` knots apart. */
function interpolateAxis(
  src: Float64Array,
  dims: number[],
  axis: number,
  n: number,
  ratio: number,
  dst: Float64Array,
): void {
  let inner = 1;
  for (let a = 0; a < axis; a++) inner *= dims[a];
  const len = dims[axis];
  const outer = src.length / (inner * len);
  const base = new Int32Array(n);
  const w = new Float64Array(4 * n);
  for (let q = 0; q < n; q++) {
    const t = q * ratio + 1; // knot 1 sits at the first sample
    const b = Math.floor(t);
    const f = t - b;
    base[q] = b - 1;
    const g = 1 - f;
    w[4 * q] = (g * g * g) / 6;
    w[4 * q + 1] = (3 * f * f * f - 6 * f * f + 4) / 6;
    w[4 * q + 2] = (-3 * f * f * f + 3 * f * f + 3 * f + 1) / 6;
    w[4 * q + 3] = (f * f * f) / 6;
  }
  // Rows of `inner` contiguous values are combined whole (sample q, then position i), so every read and write
  // streams through memory.
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < n; q++) {
      // t ≤ ceil((n − 1)·ratio) + 1, so the four knots base … base + 3 lie inside the lattice (its extent + 4).
      const a0 = o * len * inner + base[q] * inner;
      const a1 = a0 + inner;
      const a2 = a1 + inner;
      const a3 = a2 + inner;
      const d = o * n * inner + q * inner;
      const w0 = w[4 * q];
      const w1 = w[4 * q + 1];
      const w2 = w[4 * q + 2];
      const w3 = w[4 * q + 3];
      for (let i = 0; i < inner; i++)
        dst[d + i] = w0 * src[a0 + i] + w1 * src[a1 + i] + w2 * src[a2 + i] + w3 * src[a3 + i];
    }
  }
}
