/**
 * Smooth random scalar fields: independent standard normals on a lattice of step `correlationMm`, interpolated
 * with the cubic B-spline (the random free-form deformation of Rueckert et al., IEEE TMI 18(8), 1999, used as a
 * texture and as a boundary jitter), then rescaled to unit root-mean-square over the grid. The tensor-product
 * spline is evaluated axis by axis, so the cost is a few passes over the grid whatever the correlation length.
 */
import type { Rng } from '../random/rng.ts';
import { voxelCount } from '../volume/volume.ts';

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
    const c = typeof options.correlationMm === 'number' ? options.correlationMm : options.correlationMm[a] ?? options.correlationMm[0];
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
function interpolateAxis(src: Float64Array, dims: number[], axis: number, n: number, ratio: number, dst: Float64Array): void {
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
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const srcBase = o * len * inner + i;
      const dstBase = o * n * inner + i;
      for (let q = 0; q < n; q++) {
        // t ≤ ceil((n − 1)·ratio) + 1, so the four knots base … base + 3 lie inside the lattice (its extent + 4).
        const at = srcBase + base[q] * inner;
        dst[dstBase + q * inner] = w[4 * q] * src[at] + w[4 * q + 1] * src[at + inner] + w[4 * q + 2] * src[at + 2 * inner] + w[4 * q + 3] * src[at + 3 * inner];
      }
    }
  }
}
