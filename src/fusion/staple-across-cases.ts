/**
 * STAPLE across a whole set of cases with missing ratings (Warfield et al. 2004, in the multi-class form of
 * Warfield, Zou & Wells 2008 / Dawid & Skene 1979): each annotator r has one confusion matrix θ_r[i][j] =
 * P(r says i | truth j), shared over every image it labelled, and a rating that is missing adds nothing — so STAPLE
 * can fuse the "one label per image" regime of Zhang et al. 2020, where no image has more than one rating.
 * As ITK's STAPLE: W (each voxel's class posterior) starts as the mean of the present ratings, the class prior is the
 * mean of that initial W over all voxels of all cases and stays fixed; then each step computes every θ_r from W over
 * the voxels r labelled (M-step) and W ∝ prior_j · Π_{r present} θ_r[d_r][j] (E-step; where every class gets 0, W is
 * the prior). Stops when no entry of any θ moves by more than `tolerance`, or after `maxIterations` steps.
 * With one rating per voxel the first M-step gives every annotator the identity, which is a fixed point: STAPLE then
 * returns the ratings themselves (as the paper's baseline does).
 */
import { MultiraterError } from '../errors.ts';

/** Options of {@link stapleAcrossCases}: the class count and the EM stopping rule. */
export interface StapleAcrossCasesOptions {
  /** Number of classes L; ratings must be 0 … L−1. */
  classes: number;
  /** Largest number of EM steps; default 100. */
  maxIterations?: number;
  /** Stop when no matrix entry changes by more than this; default 1e-7. */
  tolerance?: number;
}

/**
 * What {@link stapleAcrossCases} estimates: per case the class posteriors and labels, per annotator one confusion
 * matrix shared by all cases.
 */
export interface StapleAcrossCasesResult {
  /** Per case, the class posteriors, class-major: [L][voxels] flattened. */
  posteriors: Float32Array[];
  /** Per case, the arg-max label per voxel (ties to the lower label). */
  labels: Uint8Array[];
  /** Per annotator θ_r [L][L] (column j = truth j); null for an annotator without any rating. */
  confusionMatrices: (number[][] | null)[];
  /** The fixed class prior. */
  prior: number[];
  /** EM steps run. */
  iterations: number;
  /** Whether EM met its tolerance before `maxIterations`. */
  converged: boolean;
}

/**
 * Fuses `cases[c][r]` (annotator r's label map of case c, or null when r did not label c; maps of a case share its
 * voxel count) as the file comment says.
 */
export function stapleAcrossCases(
  cases: readonly (readonly (ArrayLike<number> | null)[])[],
  options: StapleAcrossCasesOptions,
): StapleAcrossCasesResult {
  const L = options.classes;
  const R = Math.max(0, ...cases.map((c) => c.length));
  if (!Number.isInteger(L) || L < 2)
    throw new MultiraterError('invalid_argument', `STAPLE across cases: classes must be an integer ≥ 2, got ${L}`);
  const voxels = cases.map((c, n) => {
    const present = c.filter((m): m is ArrayLike<number> => m !== null);
    if (present.length === 0)
      throw new MultiraterError('invalid_argument', `STAPLE across cases: case ${n} has no rating`);
    if (present.some((m) => m.length !== present[0].length))
      throw new MultiraterError('size_mismatch', `STAPLE across cases: the ratings of case ${n} differ in voxel count`);
    for (const m of present)
      for (let v = 0; v < m.length; v++)
        if (!(m[v] >= 0 && m[v] < L && Number.isInteger(m[v])))
          throw new MultiraterError(
            'invalid_label',
            `STAPLE across cases: case ${n} has label ${m[v]} outside 0…${L - 1}`,
          );
    return present[0].length;
  });
  const W = cases.map((c, n) => {
    const w = new Float64Array(L * voxels[n]);
    const present = c.filter((m): m is ArrayLike<number> => m !== null);
    for (const m of present) for (let v = 0; v < voxels[n]; v++) w[m[v] * voxels[n] + v] += 1 / present.length;
    return w;
  });
  const prior = new Array<number>(L).fill(0);
  const total = voxels.reduce((a, b) => a + b, 0);
  W.forEach((w, n) => {
    for (let j = 0; j < L; j++) for (let v = 0; v < voxels[n]; v++) prior[j] += w[j * voxels[n] + v] / total;
  });
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-7;
  let theta = mStep(cases, W, voxels, R, L);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    eStep(cases, W, voxels, theta, prior, L);
    const next = mStep(cases, W, voxels, R, L);
    iterations++;
    let change = 0;
    for (let r = 0; r < R; r++)
      for (let e = 0; e < L * L; e++) change = Math.max(change, Math.abs(next[r][e] - theta[r][e]));
    theta = next;
    if (change <= tolerance) {
      converged = true;
      break;
    }
  }
  eStep(cases, W, voxels, theta, prior, L);
  const rated = Array.from({ length: R }, (_, r) => cases.some((c) => c[r] !== null && c[r] !== undefined));
  return {
    posteriors: W.map((w) => Float32Array.from(w)),
    labels: W.map((w, n) => {
      const out = new Uint8Array(voxels[n]);
      for (let v = 0; v < voxels[n]; v++) {
        let best = 0;
        for (let j = 1; j < L; j++) if (w[j * voxels[n] + v] > w[best * voxels[n] + v]) best = j;
        out[v] = best;
      }
      return out;
    }),
    confusionMatrices: theta.map((t, r) =>
      rated[r] ? Array.from({ length: L }, (_, i) => Array.from({ length: L }, (_, j) => t[i * L + j])) : null,
    ),
    prior,
    iterations,
    converged,
  };
}

/** θ_r[i·L + j] from W over the voxels r labelled; a column without mass is the identity's. */
function mStep(
  cases: readonly (readonly (ArrayLike<number> | null)[])[],
  W: Float64Array[],
  voxels: number[],
  R: number,
  L: number,
): Float64Array[] {
  const theta = Array.from({ length: R }, () => new Float64Array(L * L));
  const mass = Array.from({ length: R }, () => new Float64Array(L));
  cases.forEach((c, n) => {
    const nv = voxels[n];
    const w = W[n];
    for (let r = 0; r < R; r++) {
      const m = c[r];
      if (m === null || m === undefined) continue;
      for (let v = 0; v < nv; v++) {
        const i = m[v];
        for (let j = 0; j < L; j++) {
          const x = w[j * nv + v];
          theta[r][i * L + j] += x;
          mass[r][j] += x;
        }
      }
    }
  });
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < L; j++) {
      for (let i = 0; i < L; i++)
        theta[r][i * L + j] = mass[r][j] > 0 ? theta[r][i * L + j] / mass[r][j] : i === j ? 1 : 0;
    }
  }
  return theta;
}

/** W ∝ prior · Π_{r present} θ_r[d_r][·], in place. */
function eStep(
  cases: readonly (readonly (ArrayLike<number> | null)[])[],
  W: Float64Array[],
  voxels: number[],
  theta: Float64Array[],
  prior: readonly number[],
  L: number,
): void {
  const like = new Float64Array(L);
  cases.forEach((c, n) => {
    const nv = voxels[n];
    const w = W[n];
    for (let v = 0; v < nv; v++) {
      for (let j = 0; j < L; j++) like[j] = prior[j];
      c.forEach((m, r) => {
        if (m === null) return;
        const i = m[v];
        for (let j = 0; j < L; j++) like[j] *= theta[r][i * L + j];
      });
      let sum = 0;
      for (let j = 0; j < L; j++) sum += like[j];
      for (let j = 0; j < L; j++) w[j * nv + v] = sum > 0 ? like[j] / sum : prior[j];
    }
  });
}
