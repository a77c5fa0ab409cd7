/**
 * Diffeomorphic demons (Vercauteren, Pennec, Perchant & Ayache 2009, NeuroImage 45(1): "Diffeomorphic demons:
 * efficient non-parametric image registration"), following ITK's DiffeomorphicDemonsRegistrationFilter step by
 * step: per iteration, the moving image is warped by the current field s; the ESM (symmetric) force
 * u = 2(f − m∘s)·g / (|g|² + (f − m∘s)²/K), g = ∇f + ∇(m∘s), K = mean(spacing²)·maxStep², is computed per voxel
 * (zero where m∘s falls outside the moving image or |f − m∘s| is below the threshold); u is optionally smoothed
 * (fluid), exponentiated by scaling and squaring (ceil(2 + log2 maxStep) squarings, as ITK), composed
 * s ← s ∘ exp(u), and s is smoothed by a Gaussian of σ voxels (elastic). A level stops after its iterations or when
 * the RMS of u falls below maximumRmsError. Gradients and displacements are in mm (spacing-aware). 2D and 3D.
 */
import { MultiraterError } from '../errors.ts';
import { assertSameGrid } from '../volume/grid.ts';
import { formatShape, type Volume } from '../volume/volume.ts';
import { composeInto, exponentialInto } from './compose-fields.ts';
import { demonsPyramid, upsampleField } from './demons-pyramid.ts';
import { resolveDemonsOptions, type DemonsOptions, type ResolvedDemonsOptions } from './demons-options.ts';
import { cloneField, grid3, zeroField, type DisplacementField, type Grid3 } from './displacement-field.ts';
import { gaussianKernel, smoothComponents } from './gaussian-kernel.ts';
import { insideBuffer, sampleLinear } from './sample-linear.ts';

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
    throw new MultiraterError('dimension_mismatch', `demons: fixed image must be 2D or 3D, got ${formatShape(fixed.shape)}`);
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

/** Central differences of `data` per axis in mm⁻¹ (zero on the border voxels, as ITK's CentralDifferenceImageFunction). */
function centralGradient(data: Float32Array, g: Grid3): Float32Array[] {
  const n = data.length;
  const out = Array.from({ length: g.dims }, () => new Float32Array(n));
  const [gx, gy, gz] = out;
  const sxy = g.nx * g.ny;
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        if (i > 0 && i < g.nx - 1) gx[p] = (data[p + 1] - data[p - 1]) / (2 * g.sx);
        if (j > 0 && j < g.ny - 1) gy[p] = (data[p + g.nx] - data[p - g.nx]) / (2 * g.sy);
        if (g.dims === 3 && k > 0 && k < g.nz - 1) gz[p] = (data[p + sxy] - data[p - sxy]) / (2 * g.sz);
      }
    }
  }
  return out;
}

/**
 * Gradient of the warped moving image along one axis at voxel p (index q of n along the axis, neighbour offset
 * `step`), skipping neighbours that fell outside the moving image, as ITK's ESMDemonsRegistrationFunction.
 */
function warpedGradient(w: Float32Array, outside: Uint8Array, p: number, q: number, n: number, step: number, spacing: number): number {
  if (n === 1) return 0;
  const hasNext = q < n - 1 && outside[p + step] === 0;
  const hasPrev = q > 0 && outside[p - step] === 0;
  if (q > 0 && q < n - 1 && hasNext && hasPrev) return (w[p + step] - w[p - step]) / (2 * spacing);
  if (hasNext) return (w[p + step] - w[p]) / spacing;
  if (hasPrev) return (w[p] - w[p - step]) / spacing;
  return 0;
}

interface LevelResult {
  field: DisplacementField;
  iterations: number;
  rmsChange: number;
  metric: number;
}

function demonsLevel(fixedV: Volume, movingV: Volume, start: DisplacementField, o: ResolvedDemonsOptions, iterations: number): LevelResult {
  const g = grid3(fixedV.shape, fixedV.spacing);
  const fixed = Float32Array.from(fixedV.data);
  const moving = Float32Array.from(movingV.data);
  const n = fixed.length;
  const gradF = centralGradient(fixed, g);
  const spacings = [g.sx, g.sy, g.sz].slice(0, g.dims);
  const step = o.maximumUpdateStepLength;
  const normalizer = step > 0 ? (spacings.reduce((a, s) => a + s * s, 0) / g.dims) * step * step : -1;
  const fieldKernels = spacings.map(() => gaussianKernel(o.standardDeviation, o.maximumError, o.maximumKernelWidth));
  const updateKernels = spacings.map(() => gaussianKernel(o.updateFieldStandardDeviation, o.maximumError, o.maximumKernelWidth));
  const squarings = o.useFirstOrderExp ? 0 : step > 0 ? Math.max(0, Math.ceil(2 + Math.log2(step))) : -1;
  const warped = new Float32Array(n);
  const outside = new Uint8Array(n);
  const update: DisplacementField = zeroField(fixedV);
  let s = cloneField(start);
  let next = zeroField(fixedV);
  const e = zeroField(fixedV);
  const scratch = zeroField(fixedV);
  let rmsChange = Number.MAX_VALUE;
  let metric = Number.MAX_VALUE;
  let it = 0;
  for (; it < iterations; it++) {
    if (it > 0 && rmsChange < o.maximumRmsError) break;
    const [sx, sy, sz] = s.components;
    let p = 0;
    for (let k = 0; k < g.nz; k++) {
      for (let j = 0; j < g.ny; j++) {
        for (let i = 0; i < g.nx; i++, p++) {
          const x = i + sx[p] / g.sx;
          const y = j + sy[p] / g.sy;
          const z = g.dims === 3 ? k + sz[p] / g.sz : 0;
          outside[p] = insideBuffer(g, x, y, z) ? 0 : 1;
          warped[p] = outside[p] ? 0 : sampleLinear(moving, g, x, y, z);
        }
      }
    }
    const [ux, uy, uz] = update.components;
    let ssd = 0;
    let sumChange = 0;
    let count = 0;
    p = 0;
    for (let k = 0; k < g.nz; k++) {
      for (let j = 0; j < g.ny; j++) {
        for (let i = 0; i < g.nx; i++, p++) {
          ux[p] = 0;
          uy[p] = 0;
          if (g.dims === 3) uz[p] = 0;
          if (outside[p]) continue;
          let gx = 0;
          let gy = 0;
          let gz = 0;
          if (o.gradient !== 'fixed') {
            gx = warpedGradient(warped, outside, p, i, g.nx, 1, g.sx);
            gy = warpedGradient(warped, outside, p, j, g.ny, g.nx, g.sy);
            if (g.dims === 3) gz = warpedGradient(warped, outside, p, k, g.nz, g.nx * g.ny, g.sz);
          }
          if (o.gradient === 'symmetric') {
            gx += gradF[0][p];
            gy += gradF[1][p];
            if (g.dims === 3) gz += gradF[2][p];
          } else {
            // 'fixed' doubles ∇f, 'warped-moving' doubles ∇(m∘s): the force is written with 2× the gradient.
            const a = o.gradient === 'fixed' ? gradF : null;
            gx = a ? 2 * a[0][p] : 2 * gx;
            gy = a ? 2 * a[1][p] : 2 * gy;
            if (g.dims === 3) gz = a ? 2 * a[2][p] : 2 * gz;
          }
          const speed = fixed[p] - warped[p];
          ssd += speed * speed;
          count++;
          if (Math.abs(speed) < o.intensityDifferenceThreshold) continue;
          const g2 = gx * gx + gy * gy + gz * gz;
          const denom = normalizer > 0 ? g2 + (speed * speed) / normalizer : g2;
          if (denom < 1e-9) continue;
          const factor = (2 * speed) / denom;
          ux[p] = factor * gx;
          uy[p] = factor * gy;
          if (g.dims === 3) uz[p] = factor * gz;
          sumChange += ux[p] * ux[p] + uy[p] * uy[p] + (g.dims === 3 ? uz[p] * uz[p] : 0);
        }
      }
    }
    metric = count > 0 ? ssd / count : 0;
    rmsChange = count > 0 ? Math.sqrt(sumChange / count) : 0;
    if (o.smoothUpdateField) smoothComponents(update.components, g, updateKernels);
    exponentialInto(update, squarings >= 0 ? squarings : automaticSquarings(update, g), e, scratch, 'zero');
    composeInto(s, e, next, 'zero');
    [s, next] = [next, s];
    if (o.smoothDisplacementField) smoothComponents(s.components, g, fieldKernels);
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
