/**
 * Binary STAPLE: Warfield, Zou & Wells, "Simultaneous truth and performance level estimation (STAPLE)",
 * IEEE TMI 23(7), 2004, with the defaults of ITK's STAPLEImageFilter (ITK 5.2):
 * - a voxel is foreground for a rater when its label equals the foreground value;
 * - W (the foreground posterior) starts as the mean of the raters' decisions;
 * - the prior g = mean of that initial W over the image × the confidence weight (1), fixed for the whole run;
 * - each step: sensitivity p and specificity q of every rater from W (M-step), then W from p, q and g (E-step);
 * - stop when, from the second step on, every rater's (Δp)² and (Δq)² are ≤ 1e-14, or at the iteration limit.
 * `iterations` counts the steps run; ITK's ElapsedIterations is one less when it converges (it counts from 0).
 * Voxels are grouped by decision pattern (pattern-table.ts), so a step visits patterns, not voxels.
 * `restrictToDisagreement` fixes W to the raters' common decision wherever they all agree and estimates p, q and g
 * from the other voxels only (as NiftySeg's `-unc`).
 */
import { MultiraterError } from '../errors.ts';
import type { Volume } from '../volume/index.ts';
import { labelVolume, probabilityVolume, type FusionResult } from './fusion-result.ts';
import { patternTable } from './pattern-table.ts';
import { maskArray, stackRaters } from './rater-stack.ts';

/** Options of {@link staple} (binary STAPLE, Warfield et al. 2004): the foreground label, the EM settings, a mask. */
export interface StapleOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Label counted as foreground; default 1, and then the raters may hold no other non-zero label (a multi-label map
   * needs an explicit foreground, or multi-label STAPLE). */
  foreground?: number;
  /** Factor on the prior foreground probability g (ITK's ConfidenceWeight), dimensionless; default 1. */
  confidenceWeight?: number;
  /** Largest number of EM steps; default 10000 (ITK: unlimited). */
  maxIterations?: number;
  /** Stop when every (Δp)² and (Δq)² is at most this; default 1e-14 (ITK's). */
  tolerance?: number;
  /** Estimate only from the voxels where raters disagree, keeping the consensus fixed; default false. */
  restrictToDisagreement?: boolean;
  /** A 0/1 mask on the raters' grid; outside it W and labels are 0 and nothing is estimated. */
  mask?: Volume;
}

/** Fuses binary decisions of `raters` with STAPLE; returns W as `probability` and labels where W ≥ 0.5. */
export function staple(raters: readonly Volume[], options: StapleOptions = {}): FusionResult {
  const stack = stackRaters(raters, options);
  const fgValue = options.foreground ?? 1;
  const others = stack.labels.filter((l) => l !== 0 && l !== fgValue);
  if (options.foreground === undefined && others.length > 0) {
    throw new MultiraterError(
      'invalid_label',
      `${stack.names.join(', ')}: labels ${[fgValue, ...others].join(', ')} found; binary STAPLE would keep label ${fgValue} only and count ${others.join(', ')} as background — use multilabel-staple, or give the foreground label (options.foreground ${fgValue}) to fuse that label alone`,
    );
  }
  const fg = stack.labels.indexOf(fgValue);
  if (fg < 0) {
    throw new MultiraterError(
      'invalid_label',
      `foreground label ${fgValue} appears in none of the raters (${stack.names.join(', ')})`,
    );
  }
  const table = patternTable(stack.indices, maskArray(options.mask));
  const R = table.raters;
  const P = table.size;
  const decisions = new Uint8Array(P * R);
  for (let i = 0; i < P * R; i++) decisions[i] = table.patterns[i] === fg ? 1 : 0;
  // weight[p]: voxels of pattern p that take part in the estimation (0 for fixed consensus patterns).
  const weight = Float64Array.from(table.counts);
  const W = new Float64Array(P);
  const free = new Uint8Array(P).fill(1);
  let gNum = 0;
  let gDen = 0;
  for (let p = 0; p < P; p++) {
    let votes = 0;
    for (let r = 0; r < R; r++) votes += decisions[p * R + r];
    W[p] = votes / R;
    if (options.restrictToDisagreement && (votes === 0 || votes === R)) {
      free[p] = 0;
      weight[p] = 0;
    }
    gNum += weight[p] * W[p];
    gDen += weight[p];
  }
  const g = gDen > 0 ? (gNum / gDen) * (options.confidenceWeight ?? 1) : 0;
  const maxIterations = options.maxIterations ?? 10000;
  const tolerance = options.tolerance ?? 1e-14;
  const sens = new Float64Array(R);
  const spec = new Float64Array(R);
  const lastSens = new Float64Array(R).fill(-10);
  const lastSpec = new Float64Array(R).fill(-10);
  const defined = new Uint8Array(2 * R);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && gDen > 0) {
    for (let r = 0; r < R; r++) {
      let pNum = 0;
      let qNum = 0;
      let pDen = 0;
      let qDen = 0;
      for (let p = 0; p < P; p++) {
        const c = weight[p];
        if (c === 0) continue;
        const w = W[p];
        if (decisions[p * R + r] === 1) pNum += c * w;
        else qNum += c * (1 - w);
        pDen += c * w;
        qDen += c * (1 - w);
      }
      // With no foreground (or background) mass a rate is undefined; 1 keeps the E-step neutral for it.
      sens[r] = pDen > 0 ? pNum / pDen : 1;
      spec[r] = qDen > 0 ? qNum / qDen : 1;
      defined[2 * r] = pDen > 0 ? 1 : 0;
      defined[2 * r + 1] = qDen > 0 ? 1 : 0;
    }
    for (let p = 0; p < P; p++) {
      if (!free[p]) continue;
      let alpha = 1;
      let beta = 1;
      for (let r = 0; r < R; r++) {
        if (decisions[p * R + r] === 1) {
          alpha *= sens[r];
          beta *= 1 - spec[r];
        } else {
          alpha *= 1 - sens[r];
          beta *= spec[r];
        }
      }
      const den = g * alpha + (1 - g) * beta;
      // Both likelihoods 0 (raters with rates of exactly 0 or 1 contradict each other): fall back to the prior.
      W[p] = den > 0 ? (g * alpha) / den : g;
    }
    iterations++;
    if (iterations > 1) {
      converged = true;
      for (let r = 0; r < R && converged; r++) {
        if ((sens[r] - lastSens[r]) ** 2 > tolerance || (spec[r] - lastSpec[r]) ** 2 > tolerance) converged = false;
      }
    }
    lastSens.set(sens);
    lastSpec.set(spec);
    if (converged) break;
  }
  const probability = new Float32Array(stack.voxels);
  const { volume, data } = labelVolume(stack.volumes[0], fgValue);
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0) continue;
    probability[v] = W[p];
    if (W[p] >= 0.5) data[v] = fgValue;
  }
  return {
    method: 'staple',
    labels: volume,
    probability: probabilityVolume(stack.volumes[0], probability),
    labelValues: [0, fgValue],
    undecidedLabel: null,
    iterations,
    converged,
    raters: stack.names.map((name, r) => {
      const sensitivity = defined[2 * r] ? sens[r] : null;
      const specificity = defined[2 * r + 1] ? spec[r] : null;
      const confusionMatrix =
        sensitivity !== null && specificity !== null
          ? [
              [specificity, 1 - sensitivity],
              [1 - specificity, sensitivity],
            ]
          : null;
      return { name, sensitivity, specificity, confusionMatrix };
    }),
  };
}
