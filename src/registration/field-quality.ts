/**
 * Quality numbers of a displacement field: the Jacobian determinant of φ(x) = x + s(x) per voxel (central
 * differences, one-sided on the border; ≤ 0 means the map folds there) and the RMS and largest displacement.
 */
import { grid3, type DisplacementField } from './displacement-field.ts';

/** What `fieldQuality` reports of a displacement field (Jacobians in voxel units: a pure shift gives 1). */
export interface FieldQuality {
  /** Fraction of voxels (0–1) whose Jacobian determinant is ≤ 0 (folding). */
  foldingFraction: number;
  /** Smallest Jacobian determinant. */
  minJacobian: number;
  /** Largest Jacobian determinant. */
  maxJacobian: number;
  /** Root-mean-square displacement length, in mm. */
  rmsDisplacementMm: number;
  /** Largest displacement length, in mm. */
  maxDisplacementMm: number;
}

/** ∂(component / spacing)/∂axis at voxel p: central difference, one-sided at the ends, 0 on a 1-voxel axis. */
function derivative(c: Float32Array, spacing: number, p: number, q: number, n: number, step: number): number {
  if (n === 1) return 0;
  if (q === 0) return (c[p + step] - c[p]) / spacing;
  if (q === n - 1) return (c[p] - c[p - step]) / spacing;
  return (c[p + step] - c[p - step]) / (2 * spacing);
}

/** Jacobian determinant of x ↦ x + s(x) at every voxel (voxel units, so a rigid shift gives 1). */
export function jacobianDeterminant(field: DisplacementField): Float32Array {
  const g = grid3(field.shape, field.spacing);
  const [cx, cy, cz] = field.components;
  const out = new Float32Array(cx.length);
  const sxy = g.nx * g.ny;
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        // Row a, column b: ∂φ_a/∂x_b = δ_ab + ∂(s_a / spacing_a)/∂x_b.
        const axx = 1 + derivative(cx, g.sx, p, i, g.nx, 1);
        const axy = derivative(cx, g.sx, p, j, g.ny, g.nx);
        const ayx = derivative(cy, g.sy, p, i, g.nx, 1);
        const ayy = 1 + derivative(cy, g.sy, p, j, g.ny, g.nx);
        if (g.dims === 2) {
          out[p] = axx * ayy - axy * ayx;
          continue;
        }
        const axz = derivative(cx, g.sx, p, k, g.nz, sxy);
        const ayz = derivative(cy, g.sy, p, k, g.nz, sxy);
        const azx = derivative(cz, g.sz, p, i, g.nx, 1);
        const azy = derivative(cz, g.sz, p, j, g.ny, g.nx);
        const azz = 1 + derivative(cz, g.sz, p, k, g.nz, sxy);
        out[p] = axx * (ayy * azz - ayz * azy) - axy * (ayx * azz - ayz * azx) + axz * (ayx * azy - ayy * azx);
      }
    }
  }
  return out;
}

/** Folding fraction, Jacobian range and displacement sizes of `field`. */
export function fieldQuality(field: DisplacementField): FieldQuality {
  const jac = jacobianDeterminant(field);
  let folded = 0;
  let minJ = Infinity;
  let maxJ = -Infinity;
  for (let p = 0; p < jac.length; p++) {
    if (jac[p] <= 0) folded++;
    if (jac[p] < minJ) minJ = jac[p];
    if (jac[p] > maxJ) maxJ = jac[p];
  }
  let sum = 0;
  let max = 0;
  for (let p = 0; p < jac.length; p++) {
    let sq = 0;
    for (const c of field.components) sq += c[p] * c[p];
    sum += sq;
    if (sq > max) max = sq;
  }
  return {
    foldingFraction: folded / jac.length,
    minJacobian: minJ,
    maxJacobian: maxJ,
    rmsDisplacementMm: Math.sqrt(sum / jac.length),
    maxDisplacementMm: Math.sqrt(max),
  };
}
