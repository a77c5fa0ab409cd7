/**
 * One demons iteration's force, as ITK's ESMDemonsRegistrationFunction computes it (see demons.ts for the formula):
 * the moving image warped by the current field s (linear; voxels mapped outside the image are ITK's padding and get
 * no force), then per voxel the force from the fixed image's gradient and the warped image's gradient. The warped
 * gradient is taken inside the force loop from the warped neighbours (central, one-sided where a neighbour fell
 * outside, zero where both did), rounded to float32 as an image of it would hold. Two passes per iteration, 2D and
 * 3D loops apart; every buffer belongs to the level and is reused.
 */
import { sampleRow, type RowSampling, type Volume } from '../volume/index.ts';
import type { ResolvedDemonsOptions } from './demons-options.ts';
import type { DisplacementField, Grid3 } from './displacement-field.ts';

/** A resolution level's images, the fixed gradient and the buffers of its iterations. */
export interface ForceLevel {
  /** The level's grid (the fixed image's at this level). */
  g: Grid3;
  /** The level's fixed image, float32 copy, i fastest. */
  fixed: Float32Array;
  /** The level's moving image on the same grid, float32 copy. */
  moving: Float32Array;
  /** Central differences of the fixed image per axis, mm⁻¹ (zero on the border voxels). */
  gradF: Float32Array[];
  /** The moving image warped by the current field. */
  warped: Float32Array;
  /** 1 where the current field maps outside the moving image. */
  outside: Uint8Array;
  /**
   * Weight of ∇f in the force's gradient "times 2" (g = (wF·∇f + wW·∇(m∘s)) / 2): 1 ('symmetric'), 2 ('fixed') or 0
   * ('warped-moving').
   */
  wF: number;
  /** Weight of ∇(m∘s) in the same gradient: 1 ('symmetric'), 0 ('fixed') or 2 ('warped-moving'). */
  wW: number;
  /** Intensity differences below this give no force. */
  threshold: number;
  /** K = mean(spacing²)·maxStep² in mm², or −1 for the unbounded step. */
  normalizer: number;
  /** The running ForceStats sums (ssd, count, sumChange), carried from row to row. */
  sums: Float64Array;
}

/** What a force pass measured over the voxels mapped inside the moving image. */
export interface ForceStats {
  /** Σ (f − m∘s)². */
  ssd: number;
  /** Voxels mapped inside. */
  count: number;
  /** Σ |u|², mm². */
  sumChange: number;
}

/** Central differences of `data` per axis in mm⁻¹ (zero on the border voxels, as ITK's CentralDifferenceImageFunction). */
function centralGradient(data: Float32Array, g: Grid3): Float32Array[] {
  const out = Array.from({ length: g.dims }, () => new Float32Array(data.length));
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

/** The level's state for `fixed` and `moving` on grid g. */
export function forceLevel(fixed: Volume, moving: Volume, g: Grid3, o: ResolvedDemonsOptions): ForceLevel {
  const f = Float32Array.from(fixed.data);
  const step = o.maximumUpdateStepLength;
  const spacings = [g.sx, g.sy, g.sz].slice(0, g.dims);
  return {
    g,
    fixed: f,
    moving: Float32Array.from(moving.data),
    gradF: centralGradient(f, g),
    warped: new Float32Array(f.length),
    outside: new Uint8Array(f.length),
    wF: o.gradient === 'warped-moving' ? 0 : o.gradient === 'fixed' ? 2 : 1,
    wW: o.gradient === 'fixed' ? 0 : o.gradient === 'warped-moving' ? 2 : 1,
    threshold: o.intensityDifferenceThreshold,
    normalizer: step > 0 ? (spacings.reduce((a, s) => a + s * s, 0) / g.dims) * step * step : -1,
    sums: new Float64Array(3),
  };
}

/**
 * Warps the moving image by s and writes the force into u (zero where none); see the file comment. Row by row:
 * short calls that V8 optimises after a few rows (a whole-pass loop would run interpreted until its on-stack
 * replacement is compiled, which costs a cold process more than the iterations themselves). The row kernels take
 * arrays and numbers only: code that read them from the level object would be thrown away when the next level's
 * object is made.
 */
export function demonsForce(l: ForceLevel, s: DisplacementField, u: DisplacementField): ForceStats {
  const { nx, ny, nz, sx, sy, sz, dims } = l.g;
  const { fixed, moving, warped, outside, gradF, wF, wW, threshold, normalizer, sums } = l;
  const [u0, u1, u2] = u.components;
  sums.fill(0);
  // m(x + s(x)) into warped, 0 and outside = 1 where x + s(x) left the image; a lerp along i then j in 2D.
  const warp: RowSampling = {
    sources: [moving],
    field: s.components,
    scale: 1,
    out: [warped],
    addField: false,
    gain: 1,
    zeroPad: true,
    outside,
    form: dims === 2 ? 'lerp' : 'weights',
  };
  if (dims === 2) {
    for (let j = 0; j < ny; j++) sampleRow(warp, l.g, j, 0);
    for (let j = 0; j < ny; j++)
      forceRow2d(
        fixed,
        warped,
        outside,
        gradF[0],
        gradF[1],
        u0,
        u1,
        sums,
        nx,
        ny,
        sx,
        sy,
        wF,
        wW,
        threshold,
        normalizer,
        j,
      );
  } else {
    for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) sampleRow(warp, l.g, j, k);
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++)
        forceRow3d(
          fixed,
          warped,
          outside,
          gradF,
          u0,
          u1,
          u2,
          sums,
          nx,
          ny,
          nz,
          sx,
          sy,
          sz,
          wF,
          wW,
          threshold,
          normalizer,
          j,
          k,
        );
    }
  }
  return { ssd: sums[0], count: sums[1], sumChange: sums[2] };
}

/**
 * Derivative of the warped image along one axis at p (`step` to the neighbour; `hasNext`/`hasPrev` when that
 * neighbour is inside the grid and mapped inside the image): central (×half), one-sided (×full) or 0, as one
 * difference of the neighbours kept (p itself for a missing one).
 */
function warpedDerivative(
  w: Float32Array,
  p: number,
  step: number,
  hasNext: boolean,
  hasPrev: boolean,
  half: number,
  full: number,
): number {
  return Math.fround(
    (w[hasNext ? p + step : p] - w[hasPrev ? p - step : p]) * (hasNext ? (hasPrev ? half : full) : hasPrev ? full : 0),
  );
}

/**
 * Row j of the 2D force into (u0, u1), from the fixed gradient (fgx, fgy) and the warped image; `sums` (ssd,
 * count, Σ|u|²) run on from the previous row, one running sum as a single loop would keep.
 */
function forceRow2d(
  fixed: Float32Array,
  warped: Float32Array,
  outside: Uint8Array,
  fgx: Float32Array,
  fgy: Float32Array,
  u0: Float32Array,
  u1: Float32Array,
  sums: Float64Array,
  nx: number,
  ny: number,
  sx: number,
  sy: number,
  wF: number,
  wW: number,
  threshold: number,
  normalizer: number,
  j: number,
): void {
  const useWarped = wW !== 0;
  const xmax = nx - 1;
  const ymax = ny - 1;
  const hx = 0.5 / sx;
  const fx = 1 / sx;
  const hy = 0.5 / sy;
  const fy = 1 / sy;
  let ssd = sums[0];
  let count = sums[1];
  let sumChange = sums[2];
  for (let i = 0, p = j * nx; i < nx; i++, p++) {
    u0[p] = 0;
    u1[p] = 0;
    if (outside[p] !== 0) continue;
    const wgx = useWarped
      ? warpedDerivative(warped, p, 1, i < xmax && outside[p + 1] === 0, i > 0 && outside[p - 1] === 0, hx, fx)
      : 0;
    const wgy = useWarped
      ? warpedDerivative(warped, p, nx, j < ymax && outside[p + nx] === 0, j > 0 && outside[p - nx] === 0, hy, fy)
      : 0;
    const gx = wF * fgx[p] + wW * wgx;
    const gy = wF * fgy[p] + wW * wgy;
    const speed = fixed[p] - warped[p];
    ssd += speed * speed;
    count++;
    if (speed < threshold && speed > -threshold) continue;
    const g2 = gx * gx + gy * gy;
    const denom = normalizer > 0 ? g2 + (speed * speed) / normalizer : g2;
    if (denom < 1e-9) continue;
    const factor = (2 * speed) / denom;
    u0[p] = factor * gx;
    u1[p] = factor * gy;
    sumChange += factor * factor * g2;
  }
  sums[0] = ssd;
  sums[1] = count;
  sums[2] = sumChange;
}

/** Row (j, k) of the 3D force; see `forceRow2d`. */
function forceRow3d(
  fixed: Float32Array,
  warped: Float32Array,
  outside: Uint8Array,
  gradF: readonly Float32Array[],
  u0: Float32Array,
  u1: Float32Array,
  u2: Float32Array,
  sums: Float64Array,
  nx: number,
  ny: number,
  nz: number,
  sx: number,
  sy: number,
  sz: number,
  wF: number,
  wW: number,
  threshold: number,
  normalizer: number,
  j: number,
  k: number,
): void {
  const fgx = gradF[0];
  const fgy = gradF[1];
  const fgz = gradF[2];
  const useWarped = wW !== 0;
  const nxy = nx * ny;
  const xmax = nx - 1;
  const ymax = ny - 1;
  const zmax = nz - 1;
  const hx = 0.5 / sx;
  const fx = 1 / sx;
  const hy = 0.5 / sy;
  const fy = 1 / sy;
  const hz = 0.5 / sz;
  const fz = 1 / sz;
  let ssd = sums[0];
  let count = sums[1];
  let sumChange = sums[2];
  for (let i = 0, p = (k * ny + j) * nx; i < nx; i++, p++) {
    u0[p] = 0;
    u1[p] = 0;
    u2[p] = 0;
    if (outside[p] !== 0) continue;
    const wgx = useWarped
      ? warpedDerivative(warped, p, 1, i < xmax && outside[p + 1] === 0, i > 0 && outside[p - 1] === 0, hx, fx)
      : 0;
    const wgy = useWarped
      ? warpedDerivative(warped, p, nx, j < ymax && outside[p + nx] === 0, j > 0 && outside[p - nx] === 0, hy, fy)
      : 0;
    const wgz = useWarped
      ? warpedDerivative(warped, p, nxy, k < zmax && outside[p + nxy] === 0, k > 0 && outside[p - nxy] === 0, hz, fz)
      : 0;
    const gx = wF * fgx[p] + wW * wgx;
    const gy = wF * fgy[p] + wW * wgy;
    const gz = wF * fgz[p] + wW * wgz;
    const speed = fixed[p] - warped[p];
    ssd += speed * speed;
    count++;
    if (speed < threshold && speed > -threshold) continue;
    const g2 = gx * gx + gy * gy + gz * gz;
    const denom = normalizer > 0 ? g2 + (speed * speed) / normalizer : g2;
    if (denom < 1e-9) continue;
    const factor = (2 * speed) / denom;
    u0[p] = factor * gx;
    u1[p] = factor * gy;
    u2[p] = factor * gz;
    sumChange += factor * factor * g2;
  }
  sums[0] = ssd;
  sums[1] = count;
  sums[2] = sumChange;
}
