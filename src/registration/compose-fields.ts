/**
 * Composition of displacement fields and the group exponential by scaling and squaring (Arsigny et al. 2006;
 * Vercauteren et al. 2009, NeuroImage 45: "Diffeomorphic demons"). With φ(x) = x + s(x):
 * (s ∘ e)(x) = s(x + e(x)) + e(x), and exp(u) = (exp(u / 2^N))^(2^N) with exp(u / 2^N) ≈ Id + u / 2^N.
 * Where x + e(x) leaves the grid, s is read as zero (ITK's WarpVectorImageFilter, `padding: 'zero'`) or at the
 * nearest border voxel (VoxelMorph's spatial transformer, `padding: 'border'`).
 *
 * The kernels read u / 2^N as u times a power of two, which is exact, so no scaled copy is made: the results are
 * the float32 values a scaled copy would give. They run a row at a time: short calls that V8 optimises after a few
 * rows, where a whole-grid loop would run interpreted until its on-stack replacement is compiled.
 */
import { cloneField, grid3, type DisplacementField } from './displacement-field.ts';
import { bilinearCell, trilinearCell } from './sample-linear.ts';

/** How a field is read outside its grid. */
export type FieldPadding = 'zero' | 'border';

/**
 * Row j of out = e + s(x + e) on a 2D grid, with e = eScale·eArr and s = sScale·sArr (scales are powers of two).
 * Zero padding leaves out = e where x + e is outside the image. e is read at each voxel only, before out is
 * written there, so `out` may be e itself.
 */
function composeRow2d(
  s0: Float32Array,
  s1: Float32Array,
  sScale: number,
  e0: Float32Array,
  e1: Float32Array,
  eScale: number,
  o0: Float32Array,
  o1: Float32Array,
  nx: number,
  ny: number,
  sx: number,
  sy: number,
  zeroPad: boolean,
  j: number,
): void {
  const xmax = nx - 1;
  const ymax = ny - 1;
  const xend = nx - 0.5;
  const yend = ny - 0.5;
  for (let i = 0, p = j * nx; i < nx; i++, p++) {
    const a0 = e0[p] * eScale;
    const a1 = e1[p] * eScale;
    let x = i + a0 / sx;
    let y = j + a1 / sy;
    const out = zeroPad && (x < -0.5 || x >= xend || y < -0.5 || y >= yend);
    x = x < 0 ? 0 : x > xmax ? xmax : x;
    y = y < 0 ? 0 : y > ymax ? ymax : y;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const dx = x0 < xmax ? 1 : 0;
    const dy = y0 < ymax ? nx : 0;
    const fx = x - x0;
    const fy = y - y0;
    const q = y0 * nx + x0;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    o0[p] = out ? a0 : a0 + sScale * bilinearCell(s0, q, dx, dy, w00, w10, w01, w11);
    o1[p] = out ? a1 : a1 + sScale * bilinearCell(s1, q, dx, dy, w00, w10, w01, w11);
  }
}

/** The 3D `composeRow2d`, row (j, k): trilinear, three components. */
function composeRow3d(
  s: readonly Float32Array[],
  sScale: number,
  e: readonly Float32Array[],
  eScale: number,
  o: readonly Float32Array[],
  nx: number,
  ny: number,
  nz: number,
  sx: number,
  sy: number,
  sz: number,
  zeroPad: boolean,
  j: number,
  k: number,
): void {
  const s0 = s[0];
  const s1 = s[1];
  const s2 = s[2];
  const e0 = e[0];
  const e1 = e[1];
  const e2 = e[2];
  const o0 = o[0];
  const o1 = o[1];
  const o2 = o[2];
  const xmax = nx - 1;
  const ymax = ny - 1;
  const zmax = nz - 1;
  const nxy = nx * ny;
  for (let i = 0, p = (k * ny + j) * nx; i < nx; i++, p++) {
    const a0 = e0[p] * eScale;
    const a1 = e1[p] * eScale;
    const a2 = e2[p] * eScale;
    let x = i + a0 / sx;
    let y = j + a1 / sy;
    let z = k + a2 / sz;
    const out = zeroPad && (x < -0.5 || x >= nx - 0.5 || y < -0.5 || y >= ny - 0.5 || z < -0.5 || z >= nz - 0.5);
    x = x < 0 ? 0 : x > xmax ? xmax : x;
    y = y < 0 ? 0 : y > ymax ? ymax : y;
    z = z < 0 ? 0 : z > zmax ? zmax : z;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const z0 = Math.floor(z);
    const dx = x0 < xmax ? 1 : 0;
    const dy = y0 < ymax ? nx : 0;
    const dz = z0 < zmax ? nxy : 0;
    const fx = x - x0;
    const fy = y - y0;
    const fz = z - z0;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const q = (z0 * ny + y0) * nx + x0;
    o0[p] = out ? a0 : a0 + sScale * trilinearCell(s0, q, dx, dy, dz, w00, w10, w01, w11, fz);
    o1[p] = out ? a1 : a1 + sScale * trilinearCell(s1, q, dx, dy, dz, w00, w10, w01, w11, fz);
    o2[p] = out ? a2 : a2 + sScale * trilinearCell(s2, q, dx, dy, dz, w00, w10, w01, w11, fz);
  }
}

/**
 * out = (sScale·s) ∘ (eScale·e), 2D or 3D by the grid, row by row; with `then`, each row of out is composed into
 * `then` at once (out ← then ∘ out, in place): the last squaring of the exponential fused with the demons'
 * composition s ∘ exp(u), the squared row rounded to float32 in out as an array of it would hold.
 */
function composeScaled(
  s: DisplacementField,
  sScale: number,
  e: DisplacementField,
  eScale: number,
  out: DisplacementField,
  padding: FieldPadding,
  then?: DisplacementField,
): void {
  const { dims, nx, ny, nz, sx, sy, sz } = grid3(e.shape, e.spacing);
  const zeroPad = padding === 'zero';
  const [s0, s1] = s.components;
  const [e0, e1] = e.components;
  const [o0, o1] = out.components;
  if (dims === 2) {
    const t0 = then?.components[0];
    const t1 = then?.components[1];
    for (let j = 0; j < ny; j++) {
      composeRow2d(s0, s1, sScale, e0, e1, eScale, o0, o1, nx, ny, sx, sy, zeroPad, j);
      if (t0 !== undefined && t1 !== undefined) composeRow2d(t0, t1, 1, o0, o1, 1, o0, o1, nx, ny, sx, sy, zeroPad, j);
    }
    return;
  }
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      composeRow3d(s.components, sScale, e.components, eScale, out.components, nx, ny, nz, sx, sy, sz, zeroPad, j, k);
      if (then !== undefined)
        composeRow3d(then.components, 1, out.components, 1, out.components, nx, ny, nz, sx, sy, sz, zeroPad, j, k);
    }
  }
}

/** Writes s ∘ e into `out` (all three on one grid; `out` must be a third field). Linear interpolation of s. */
export function composeInto(
  s: DisplacementField,
  e: DisplacementField,
  out: DisplacementField,
  padding: FieldPadding = 'zero',
): void {
  composeScaled(s, 1, e, 1, out, padding);
}

/** s ∘ e: out(x) = s(x + e(x)) + e(x), on e's grid (s and e must share it). */
export function composeFields(
  s: DisplacementField,
  e: DisplacementField,
  padding: FieldPadding = 'zero',
): DisplacementField {
  const out = cloneField(e);
  composeInto(s, e, out, padding);
  return out;
}

/**
 * exp(u) by `steps` squarings of u / 2^steps (`steps` 0 gives u itself, the first-order exponential), written
 * into `out`; `scratch` (same grid) is overwritten. Neither may be `u`.
 */
export function exponentialInto(
  u: DisplacementField,
  steps: number,
  out: DisplacementField,
  scratch: DisplacementField,
  padding: FieldPadding = 'zero',
): void {
  if (steps === 0) {
    u.components.forEach((c, a) => out.components[a].set(c));
    return;
  }
  const scale = 1 / 2 ** steps;
  // Squaring t lands in `out` when steps − t is even, so the last one does; the first reads u scaled.
  let cur = u;
  let curScale = scale;
  for (let t = 1; t <= steps; t++) {
    const next = (steps - t) % 2 === 0 ? out : scratch;
    composeScaled(cur, curScale, cur, curScale, next, padding);
    cur = next;
    curScale = 1;
  }
}

/**
 * s ∘ exp(u) into `out` (the demons' update of its field), exp by `steps` squarings as `exponentialInto`, the last
 * squaring fused with the composition into s row by row (one sweep for ITK's default of one squaring). `scratch`
 * holds the intermediate squarings when `steps` > 1 (two fields, same grid); none of out and scratch may be s or u.
 */
export function composeExponentialInto(
  s: DisplacementField,
  u: DisplacementField,
  steps: number,
  out: DisplacementField,
  scratch: readonly [DisplacementField, DisplacementField] | null,
  padding: FieldPadding = 'zero',
): void {
  if (steps === 0) {
    composeScaled(s, 1, u, 1, out, padding);
    return;
  }
  if (steps > 1 && scratch === null)
    throw new RangeError('composeExponentialInto: more than one squaring needs two scratch fields');
  let cur = u;
  let curScale = 1 / 2 ** steps;
  for (let t = 1; t < steps; t++) {
    const next = (scratch as readonly [DisplacementField, DisplacementField])[t % 2];
    composeScaled(cur, curScale, cur, curScale, next, padding);
    cur = next;
    curScale = 1;
  }
  composeScaled(cur, curScale, cur, curScale, out, padding, s);
}

/** exp(u) by `steps` squarings of u / 2^steps; see `exponentialInto`. */
export function exponentialField(
  u: DisplacementField,
  steps: number,
  padding: FieldPadding = 'zero',
): DisplacementField {
  const out = cloneField(u);
  exponentialInto(u, steps, out, cloneField(u), padding);
  return out;
}
