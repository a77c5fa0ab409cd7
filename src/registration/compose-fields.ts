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
import { sampleRow, type RowSampling } from '../volume/index.ts';
import { cloneField, grid3, type DisplacementField } from './displacement-field.ts';

/** How a field is read outside its grid. */
export type FieldPadding = 'zero' | 'border';

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
  const g = grid3(e.shape, e.spacing);
  const zeroPad = padding === 'zero';
  const oc = out.components;
  const first = sampling(s.components, sScale, e.components, eScale, oc, zeroPad);
  const second = then === undefined ? null : sampling(then.components, 1, oc, 1, oc, zeroPad);
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      sampleRow(first, g, j, k);
      if (second !== null) sampleRow(second, g, j, k);
    }
  }
}

/** out = eScale·e + sScale·s(x + eScale·e) as a row sampling; ZeroFluxNeumann or zero padding. */
function sampling(
  s: readonly Float32Array[],
  sScale: number,
  e: readonly Float32Array[],
  eScale: number,
  out: readonly Float32Array[],
  zeroPad: boolean,
): RowSampling {
  return {
    sources: s,
    field: e,
    scale: eScale,
    out,
    addField: true,
    gain: sScale,
    zeroPad,
    outside: null,
    form: 'weights',
  };
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
