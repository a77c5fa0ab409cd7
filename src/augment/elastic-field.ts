/**
 * Smooth random displacement fields for elastic deformation (Simard et al. 2003: per-voxel random displacements
 * smoothed by a Gaussian). Here the noise is standard normal from a seeded generator, the Gaussian's σ is a
 * correlation length in mm, and the smoothed field is rescaled so its root-mean-square displacement length equals
 * `magnitude` mm — a size that does not depend on σ, unlike Simard's α. For speed the noise is drawn and smoothed on
 * a grid coarser by ⌊σ/2⌋ voxels per axis (so the smoothing kernel stays ~13 taps), then linearly interpolated to
 * every voxel; a field that smooth changes little between coarse nodes, so the interpolation error is small.
 */
import { Rng } from '../random/index.ts';
import { gaussianBlur } from './gaussian-blur.ts';

/** One elastic deformation's recorded draw, as `elasticDisplacementField` takes it. */
export interface ElasticParams {
  /** Root-mean-square displacement length, in mm. */
  magnitude: number;
  /** Correlation length (Gaussian σ of the smoothing), in mm. */
  sigma: number;
  /** Seed of the field's noise; recorded so the same field is made again. */
  seed: number;
}

/**
 * The displacement field, in mm, over a grid of `shape` [nx, ny, nz] with `spacing` mm: `components` arrays of
 * nx·ny·nz values (component c = displacement along axis c). `components` is 2 for in-plane fields, 3 for 3D.
 */
export function elasticDisplacementField(
  shape: readonly [number, number, number],
  spacing: readonly number[],
  components: 2 | 3,
  params: ElasticParams,
): Float32Array[] {
  const n = shape[0] * shape[1] * shape[2];
  const rng = new Rng(params.seed);
  const sigmaVoxels = [0, 1, 2].map((a) => (a < components && shape[a] > 1 ? params.sigma / spacing[a] : 0));
  const step = sigmaVoxels.map((s) => Math.max(1, Math.floor(s / 2)));
  const coarse = shape.map((s, a) => Math.ceil((s - 1) / step[a]) + 1) as [number, number, number];
  const coarseCount = coarse[0] * coarse[1] * coarse[2];
  const tables = [0, 1, 2].map((a) => interpolationTable(shape[a], coarse[a], step[a]));
  const field: Float32Array[] = [];
  let sumSquares = 0;
  for (let c = 0; c < components; c++) {
    const u = new Float32Array(coarseCount);
    for (let i = 0; i < coarseCount; i++) u[i] = rng.normal();
    gaussianBlur(
      u,
      coarse,
      sigmaVoxels.map((s, a) => s / step[a]),
    );
    const fine = upsample(u, coarse, shape, tables);
    for (let i = 0; i < n; i++) sumSquares += fine[i] * fine[i];
    field.push(fine);
  }
  const rms = Math.sqrt(sumSquares / n);
  const scale = rms > 0 ? params.magnitude / rms : 0;
  for (const u of field) for (let i = 0; i < n; i++) u[i] *= scale;
  return field;
}

interface Table {
  i0: Int32Array;
  i1: Int32Array;
  w: Float32Array;
}

/** Fine voxel i lies at coarse position i / step: its two coarse neighbours and the weight of the second. */
function interpolationTable(n: number, nCoarse: number, step: number): Table {
  const t: Table = { i0: new Int32Array(n), i1: new Int32Array(n), w: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const c0 = Math.floor(i / step);
    t.i0[i] = c0;
    t.i1[i] = Math.min(c0 + 1, nCoarse - 1);
    t.w[i] = i / step - c0;
  }
  return t;
}

/** Trilinear interpolation of the coarse grid at every fine voxel. */
function upsample(u: Float32Array, coarse: readonly number[], shape: readonly number[], t: Table[]): Float32Array {
  const [cx, cy] = coarse;
  const out = new Float32Array(shape[0] * shape[1] * shape[2]);
  let p = 0;
  for (let k = 0; k < shape[2]; k++) {
    const z0 = t[2].i0[k] * cy;
    const z1 = t[2].i1[k] * cy;
    const wz = t[2].w[k];
    for (let j = 0; j < shape[1]; j++) {
      const r00 = (z0 + t[1].i0[j]) * cx;
      const r01 = (z0 + t[1].i1[j]) * cx;
      const r10 = (z1 + t[1].i0[j]) * cx;
      const r11 = (z1 + t[1].i1[j]) * cx;
      const wy = t[1].w[j];
      for (let i = 0; i < shape[0]; i++, p++) {
        const a = t[0].i0[i];
        const b = t[0].i1[i];
        const wx = t[0].w[i];
        const y0 =
          (u[r00 + a] + (u[r00 + b] - u[r00 + a]) * wx) * (1 - wy) + (u[r01 + a] + (u[r01 + b] - u[r01 + a]) * wx) * wy;
        const y1 =
          (u[r10 + a] + (u[r10 + b] - u[r10 + a]) * wx) * (1 - wy) + (u[r11 + a] + (u[r11 + b] - u[r11 + a]) * wx) * wy;
        out[p] = y0 * (1 - wz) + y1 * wz;
      }
    }
  }
  return out;
}
