/**
 * Composition of displacement fields and the group exponential by scaling and squaring (Arsigny et al. 2006;
 * Vercauteren et al. 2009, NeuroImage 45: "Diffeomorphic demons"). With φ(x) = x + s(x):
 * (s ∘ e)(x) = s(x + e(x)) + e(x), and exp(u) = (exp(u / 2^N))^(2^N) with exp(u / 2^N) ≈ Id + u / 2^N.
 * Where x + e(x) leaves the grid, s is read as zero (ITK's WarpVectorImageFilter, `padding: 'zero'`) or at the
 * nearest border voxel (VoxelMorph's spatial transformer, `padding: 'border'`).
 */
import { cloneField, grid3, type DisplacementField } from './displacement-field.ts';
import { insideBuffer, sampleLinear } from './sample-linear.ts';

/** How a field is read outside its grid. */
export type FieldPadding = 'zero' | 'border';

/** s ∘ e: out(x) = s(x + e(x)) + e(x), on e's grid (s and e must share it). Linear interpolation of s. */
export function composeFields(s: DisplacementField, e: DisplacementField, padding: FieldPadding = 'zero'): DisplacementField {
  const g = grid3(e.shape, e.spacing);
  const out = cloneField(e);
  const [ex, ey, ez] = e.components;
  const sc = s.components;
  const d = g.dims;
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        const x = i + ex[p] / g.sx;
        const y = j + ey[p] / g.sy;
        const z = d === 3 ? k + ez[p] / g.sz : 0;
        if (padding === 'zero' && !insideBuffer(g, x, y, z)) continue;
        for (let c = 0; c < d; c++) out.components[c][p] += sampleLinear(sc[c], g, x, y, z);
      }
    }
  }
  return out;
}

/** exp(u) by `steps` squarings of u / 2^steps (`steps` 0 gives u itself, the first-order exponential). */
export function exponentialField(u: DisplacementField, steps: number, padding: FieldPadding = 'zero'): DisplacementField {
  let e = cloneField(u);
  const scale = 1 / 2 ** steps;
  for (const c of e.components) for (let p = 0; p < c.length; p++) c[p] *= scale;
  for (let s = 0; s < steps; s++) e = composeFields(e, e, padding);
  return e;
}
