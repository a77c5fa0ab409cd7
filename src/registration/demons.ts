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
import { insideBuffer, sampleLinearAll } from './sample-linear.ts';

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
 * Gradient of the warped moving image along `axis` at every voxel into `out` (mm⁻¹), skipping neighbours that fell
 * outside the moving image, as ITK's ESMDemonsRegistrationFunction: central differences, one-sided where a
 * neighbour is missing, zero where both are. One loop per axis (no per-voxel calls in the hot path).
 */
function warpedGradientAxis(w: Float32Array, outside: Uint8Array, g: Grid3, axis: 0 | 1 | 2, out: Float32Array): void {
  const n = axis === 0 ? g.nx : axis === 1 ? g.ny : g.nz;
  const step = axis === 0 ? 1 : axis === 1 ? g.nx : g.nx * g.ny;
  const spacing = axis === 0 ? g.sx : axis === 1 ? g.sy : g.sz;
  const half = 0.5 / spacing;
  const full = 1 / spacing;
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        const q = axis === 0 ? i : axis === 1 ? j : k;
        const hasNext = q < n - 1 && outside[p + step] === 0;
        const hasPrev = q > 0 && outside[p - step] === 0;
        out[p] = hasNext && hasPrev ? (w[p + step] - w[p - step]) * half : hasNext ? (w[p + step] - w[p]) * full : hasPrev ? (w[p] - w[p - step]) * full : 0;
      }
    }
  }
}

/** The 2D warp of the moving image by the current field, bilinear inlined; `outside` marks ITK's padding. */
function warpMoving2d(moving: Float32Array, cx: Float32Array, cy: Float32Array, g: Grid3, warped: Float32Array, outside: Uint8Array): void {
  const { nx, ny, sx, sy } = g;
  let p = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++, p++) {
      let x = i + cx[p] / sx;
      let y = j + cy[p] / sy;
      if (x < -0.5 || x >= nx - 0.5 || y < -0.5 || y >= ny - 0.5) {
        outside[p] = 1;
        warped[p] = 0;
        continue;
      }
      outside[p] = 0;
      x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
      y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const dx = x0 + 1 < nx ? 1 : 0;
      const dy = y0 + 1 < ny ? nx : 0;
      const fx = x - x0;
      const fy = y - y0;
      const q = y0 * nx + x0;
      const a = moving[q] + fx * (moving[q + dx] - moving[q]);
      const b = moving[q + dy] + fx * (moving[q + dx + dy] - moving[q + dy]);
      warped[p] = a + fy * (b - a);
    }
  }
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
  const gradW = spacings.map(() => new Float32Array(n));
  const wF = o.gradient === 'warped-moving' ? 0 : o.gradient === 'fixed' ? 2 : 1;
  const wW = o.gradient === 'fixed' ? 0 : o.gradient === 'warped-moving' ? 2 : 1;
  const movingArr = [moving];
  const warpedArr = [warped];
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
    if (g.dims === 2) warpMoving2d(moving, sx, sy, g, warped, outside);
    else for (let k = 0; k < g.nz; k++) {
      for (let j = 0; j < g.ny; j++) {
        for (let i = 0; i < g.nx; i++, p++) {
          const x = i + sx[p] / g.sx;
          const y = j + sy[p] / g.sy;
          const z = g.dims === 3 ? k + sz[p] / g.sz : 0;
          if (insideBuffer(g, x, y, z)) {
            outside[p] = 0;
            sampleLinearAll(movingArr, g, x, y, z, warpedArr, p, false);
          } else {
            outside[p] = 1;
            warped[p] = 0;
          }
        }
      }
    }
    if (o.gradient !== 'fixed') for (let a = 0; a < g.dims; a++) warpedGradientAxis(warped, outside, g, a as 0 | 1 | 2, gradW[a]);
    const [ux, uy, uz] = update.components;
    const [fgx, fgy, fgz] = gradF;
    const [wgx, wgy, wgz] = gradW;
    const three = g.dims === 3;
    const threshold = o.intensityDifferenceThreshold;
    let ssd = 0;
    let sumChange = 0;
    let count = 0;
    for (p = 0; p < n; p++) {
      ux[p] = 0;
      uy[p] = 0;
      if (three) uz[p] = 0;
      if (outside[p]) continue;
      // Force gradient "times 2": ∇f + ∇(m∘s) (symmetric), 2∇f (fixed) or 2∇(m∘s) (warped-moving).
      const gx = wF * fgx[p] + wW * wgx[p];
      const gy = wF * fgy[p] + wW * wgy[p];
      const gz = three ? wF * fgz[p] + wW * wgz[p] : 0;
      const speed = fixed[p] - warped[p];
      ssd += speed * speed;
      count++;
      if (Math.abs(speed) < threshold) continue;
      const g2 = gx * gx + gy * gy + gz * gz;
      const denom = normalizer > 0 ? g2 + (speed * speed) / normalizer : g2;
      if (denom < 1e-9) continue;
      const factor = (2 * speed) / denom;
      ux[p] = factor * gx;
      uy[p] = factor * gy;
      if (three) uz[p] = factor * gz;
      sumChange += factor * factor * g2;
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
