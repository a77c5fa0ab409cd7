/**
 * Composition of displacement fields and the group exponential by scaling and squaring (Arsigny et al. 2006;
 * Vercauteren et al. 2009, NeuroImage 45: "Diffeomorphic demons"). With φ(x) = x + s(x):
 * (s ∘ e)(x) = s(x + e(x)) + e(x), and exp(u) = (exp(u / 2^N))^(2^N) with exp(u / 2^N) ≈ Id + u / 2^N.
 * Where x + e(x) leaves the grid, s is read as zero (ITK's WarpVectorImageFilter, `padding: 'zero'`) or at the
 * nearest border voxel (VoxelMorph's spatial transformer, `padding: 'border'`).
 */
import { cloneField, grid3, type DisplacementField } from './displacement-field.ts';
import { insideBuffer, sampleLinearAll } from './sample-linear.ts';

/** How a field is read outside its grid. */
export type FieldPadding = 'zero' | 'border';

/** Writes s ∘ e into `out` (all three on one grid; `out` must be a third field). Linear interpolation of s. */
export function composeInto(s: DisplacementField, e: DisplacementField, out: DisplacementField, padding: FieldPadding = 'zero'): void {
  const g = grid3(e.shape, e.spacing);
  const [ex, ey, ez] = e.components;
  const sc = s.components;
  const oc = out.components;
  for (let c = 0; c < oc.length; c++) oc[c].set(e.components[c]);
  if (g.dims === 2) {
    compose2d(sc[0], sc[1], ex, ey, oc[0], oc[1], g.nx, g.ny, g.sx, g.sy, padding === 'zero');
    return;
  }
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        const x = i + ex[p] / g.sx;
        const y = j + ey[p] / g.sy;
        const z = g.dims === 3 ? k + ez[p] / g.sz : 0;
        if (padding === 'zero' && !insideBuffer(g, x, y, z)) continue;
        sampleLinearAll(sc, g, x, y, z, oc, p, true);
      }
    }
  }
}

/** The 2D case of `composeInto`, bilinear inlined (the demons' hottest loop). */
function compose2d(s0: Float32Array, s1: Float32Array, ex: Float32Array, ey: Float32Array, o0: Float32Array, o1: Float32Array, nx: number, ny: number, sx: number, sy: number, zeroPad: boolean): void {
  let p = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, p++) {
      let x = i + ex[p] / sx;
      let y = j + ey[p] / sy;
      if (zeroPad && (x < -0.5 || x >= nx - 0.5 || y < -0.5 || y >= ny - 0.5)) continue;
      x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
      y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const dx = x0 + 1 < nx ? 1 : 0;
      const dy = y0 + 1 < ny ? nx : 0;
      const fx = x - x0;
      const fy = y - y0;
      const q = y0 * nx + x0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      o0[p] += w00 * s0[q] + w10 * s0[q + dx] + w01 * s0[q + dy] + w11 * s0[q + dx + dy];
      o1[p] += w00 * s1[q] + w10 * s1[q + dx] + w01 * s1[q + dy] + w11 * s1[q + dx + dy];
    }
  }
}

/** s ∘ e: out(x) = s(x + e(x)) + e(x), on e's grid (s and e must share it). */
export function composeFields(s: DisplacementField, e: DisplacementField, padding: FieldPadding = 'zero'): DisplacementField {
  const out = cloneField(e);
  composeInto(s, e, out, padding);
  return out;
}

/**
 * exp(u) by `steps` squarings of u / 2^steps (`steps` 0 gives u itself, the first-order exponential), written
 * into `out`; `scratch` (same grid) is overwritten. Neither may be `u`.
 */
export function exponentialInto(u: DisplacementField, steps: number, out: DisplacementField, scratch: DisplacementField, padding: FieldPadding = 'zero'): void {
  const scale = 1 / 2 ** steps;
  // Ping-pong between the two buffers so the result lands in `out`.
  let cur = steps % 2 === 0 ? out : scratch;
  let next = cur === out ? scratch : out;
  u.components.forEach((c, a) => {
    const dst = cur.components[a];
    for (let p = 0; p < c.length; p++) dst[p] = c[p] * scale;
  });
  for (let s = 0; s < steps; s++) {
    composeInto(cur, cur, next, padding);
    [cur, next] = [next, cur];
  }
}

/** exp(u) by `steps` squarings of u / 2^steps; see `exponentialInto`. */
export function exponentialField(u: DisplacementField, steps: number, padding: FieldPadding = 'zero'): DisplacementField {
  const out = cloneField(u);
  exponentialInto(u, steps, out, cloneField(u), padding);
  return out;
}
