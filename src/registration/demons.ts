/**
 * Diffeomorphic demons (Vercauteren, Pennec, Perchant & Ayache 2009, NeuroImage 45(1): "Diffeomorphic demons:
 * efficient non-parametric image registration"), following ITK's DiffeomorphicDemonsRegistrationFilter step by
 * step: per iteration, the moving image is warped by the current field s; the ESM (symmetric) force
 * u = 2(f − m∘s)·g / (|g|² + (f − m∘s)²/K), g = ∇f + ∇(m∘s), K = mean(spacing²)·maxStep², is computed per voxel
 * (zero where m∘s falls outside the moving image or |f − m∘s| is below the threshold); u is optionally smoothed
 * (fluid), exponentiated by scaling and squaring (ceil(2 + log2 maxStep) squarings, as ITK), composed
 * s ← s ∘ exp(u), and s is smoothed by a Gaussian of σ voxels (elastic). A level stops after its iterations or when
 * the RMS of u falls below maximumRmsError. Gradients and displacements are in mm (spacing-aware). 2D and 3D.
 *
 * Per iteration three sweeps over the grid, each a row at a time: warp and force (demons-force.ts), the exponential's
 * last squaring fused with the composition (compose-fields.ts), and both passes of the elastic smoothing
 * (volume's smooth-separable.ts). Every value is computed as the whole-grid loops before them did, to the bit (the fields
 * pinned in demons.test.ts); the row structure is for V8, which optimises short calls after a few rows, where a
 * whole-grid loop runs interpreted until its on-stack replacement is compiled (the larger cost in a cold process).
 */
import { MultiraterError } from '../errors.ts';
import { assertSameGrid, gaussianKernel, smoothSeparable } from '../volume/index.ts';
import { formatShape, type Volume } from '../volume/index.ts';
import { composeExponentialInto } from './compose-fields.ts';
import { demonsForce, forceLevel } from './demons-force.ts';
import { demonsPyramid, upsampleField } from './demons-pyramid.ts';
import { resolveDemonsOptions, type DemonsOptions, type ResolvedDemonsOptions } from './demons-options.ts';
import { cloneField, grid3, zeroField, type DisplacementField, type Grid3 } from './displacement-field.ts';

/** What one resolution level did. */
export interface DemonsLevel {
  /** Grid of the level. */
  shape: number[];
  /** Iterations run. */
  iterations: number;
  /** RMS length of the last update, in mm. */
  rmsChange: number;
  /** Mean squared intensity difference over the overlap before the last update. */
  metric: number;
}

/** What `demons` returns: the field, what each level did, and the options it ran with. */
export interface DemonsResult {
  /** Displacement field on the fixed image's grid: the moving image is sampled at x + field(x). */
  field: DisplacementField;
  /** Per level, coarse to fine. */
  levels: DemonsLevel[];
  /** Options in force. */
  options: ResolvedDemonsOptions;
}

/** Registers `moving` onto `fixed` (same 2D or 3D grid). See the file comment; defaults are ITK's. */
export function demons(fixed: Volume, moving: Volume, options: DemonsOptions = {}): DemonsResult {
  const o = resolveDemonsOptions(options);
  if (fixed.shape.length !== 2 && fixed.shape.length !== 3) {
    throw new MultiraterError(
      'dimension_mismatch',
      `demons: fixed image must be 2D or 3D, got ${formatShape(fixed.shape)}`,
    );
  }
  assertSameGrid(moving, 'moving image', fixed, 'fixed image');
  const pyramid = demonsPyramid(fixed, moving, o.levels);
  let field = zeroField(pyramid[0].fixed);
  const levels: DemonsLevel[] = [];
  pyramid.forEach((lv, l) => {
    if (l > 0) field = upsampleField(field, lv.fixed);
    const r = demonsLevel(lv.fixed, lv.moving, field, o, o.iterations[l]);
    field = r.field;
    levels.push({ shape: [...lv.fixed.shape], iterations: r.iterations, rmsChange: r.rmsChange, metric: r.metric });
  });
  return { field, levels, options: o };
}

interface LevelResult {
  field: DisplacementField;
  iterations: number;
  rmsChange: number;
  metric: number;
}

/**
 * One level's iterations: force (demons-force.ts), optional fluid smoothing of u, s ← s ∘ exp(u) with the last
 * squaring fused into the composition (compose-fields.ts), elastic smoothing of s. Buffers are allocated once per level.
 */
function demonsLevel(
  fixedV: Volume,
  movingV: Volume,
  start: DisplacementField,
  o: ResolvedDemonsOptions,
  iterations: number,
): LevelResult {
  const g = grid3(fixedV.shape, fixedV.spacing);
  const level = forceLevel(fixedV, movingV, g, o);
  const step = o.maximumUpdateStepLength;
  const discrete = { maximumError: o.maximumError, maximumKernelWidth: o.maximumKernelWidth };
  const fieldKernels = Array.from({ length: g.dims }, () => gaussianKernel(o.standardDeviation, discrete));
  const updateKernels = Array.from({ length: g.dims }, () => gaussianKernel(o.updateFieldStandardDeviation, discrete));
  const squarings = o.useFirstOrderExp ? 0 : step > 0 ? Math.max(0, Math.ceil(2 + Math.log2(step))) : -1;
  const update = zeroField(fixedV);
  let s = cloneField(start);
  let next = zeroField(fixedV);
  // Intermediate squarings (more than one) only; ITK's default step needs one.
  let squares: [DisplacementField, DisplacementField] | null = null;
  const smoothScratch = new Float32Array(level.fixed.length);
  let rmsChange = Number.MAX_VALUE;
  let metric = Number.MAX_VALUE;
  let it = 0;
  for (; it < iterations; it++) {
    if (it > 0 && rmsChange < o.maximumRmsError) break;
    const { ssd, count, sumChange } = demonsForce(level, s, update);
    metric = count > 0 ? ssd / count : 0;
    rmsChange = count > 0 ? Math.sqrt(sumChange / count) : 0;
    if (o.smoothUpdateField) smoothSeparable(update.components, g, updateKernels, smoothScratch);
    const n = squarings >= 0 ? squarings : automaticSquarings(update, g);
    if (n > 1 && squares === null) squares = [zeroField(fixedV), zeroField(fixedV)];
    composeExponentialInto(s, update, n, next, squares, 'zero');
    [s, next] = [next, s];
    if (o.smoothDisplacementField) smoothSeparable(s.components, g, fieldKernels, smoothScratch);
  }
  return { field: s, iterations: it, rmsChange, metric };
}

/** Squarings so that the largest step is at most half a voxel (ITK's automatic exponential). */
function automaticSquarings(u: DisplacementField, g: Grid3): number {
  const sp = [g.sx, g.sy, g.sz];
  let max = 0;
  for (let p = 0; p < u.components[0].length; p++) {
    let sq = 0;
    for (let c = 0; c < g.dims; c++) sq += (u.components[c][p] / sp[c]) ** 2;
    if (sq > max) max = sq;
  }
  return max > 0 ? Math.max(0, Math.ceil(Math.log2(Math.sqrt(max) / 0.5))) : 0;
}
