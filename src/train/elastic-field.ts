/**
 * Smooth random displacement fields for elastic deformation (Simard et al. 2003: per-voxel random displacements
 * smoothed by a Gaussian). Here the noise is standard normal from a seeded generator, the Gaussian's σ is a
 * correlation length in mm, and the smoothed field is rescaled so its root-mean-square displacement length equals
 * `magnitude` mm — a size that does not depend on σ, unlike Simard's α.
 */
import { Rng } from '../random/rng.ts';
import { gaussianBlur } from './gaussian-blur.ts';

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
  const sigmaVoxels = [0, 1, 2].map((a) => (a < components ? params.sigma / spacing[a] : 0));
  const field: Float32Array[] = [];
  let sumSquares = 0;
  for (let c = 0; c < components; c++) {
    const u = new Float32Array(n);
    for (let i = 0; i < n; i++) u[i] = rng.normal();
    gaussianBlur(u, shape, sigmaVoxels);
    for (let i = 0; i < n; i++) sumSquares += u[i] * u[i];
    field.push(u);
  }
  const rms = Math.sqrt(sumSquares / n);
  const scale = rms > 0 ? params.magnitude / rms : 0;
  for (const u of field) for (let i = 0; i < n; i++) u[i] *= scale;
  return field;
}
