/**
 * Multi-label STAPLE: Rohlfing, Russakoff & Maurer, "Performance-based classifier combination in atlas-based image
 * segmentation using expectation-maximization parameter estimation", IEEE TMI 23(8), 2004 — with the defaults of
 * ITK's MultiLabelSTAPLEImageFilter (ITK 5.2):
 * - one confusion matrix per rater, seeded from the majority vote (tied voxels skipped);
 * - label prior = the labels' frequencies pooled over all raters, fixed;
 * - EM until the largest change of any matrix entry is below 1e-5;
 * - fused label = argmax of the posterior; ties (and all-zero posteriors) get the undecided label (max label + 1).
 * Orientation: `cm[i][j]` = P(rater says label i | true label j), columns sum to 1 (SPEC-metrics.md), which is
 * what ITK's M-step computes. ITK's seeding normalises the other way (rows: P(true label | rater's label)); with
 * `seed: 'itk'` (default) we do the same so the first E-step — and the result — match ITK; `seed: 'columns'`
 * seeds with column-normalised counts, consistent with the M-step.
 * Voxels are grouped by decision pattern (pattern-table.ts): consensus patterns get their posterior in closed
 * form, and an EM step visits only distinct patterns.
 */
import type { Volume } from '../volume/index.ts';
import { undecidedLabelFor, labelVolume, type FusionResult } from './fusion-result.ts';
import { patternVotes } from './majority-vote.ts';
import { consensusLabel, patternTable, type PatternTable } from './pattern-table.ts';
import { maskArray, stackRaters } from './rater-stack.ts';

/** Options of {@link multiLabelStaple} (Rohlfing et al. 2004, as ITK's MultiLabelSTAPLEImageFilter). */
export interface MultiLabelStapleOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Label written on posterior ties; default the largest label any rater used + 1. */
  undecidedLabel?: number;
  /** Largest number of EM steps; default 10000 (ITK: unlimited). */
  maxIterations?: number;
  /** Stop when no confusion-matrix entry changes by this much or more (probability); default 1e-5 (ITK's). */
  tolerance?: number;
  /** How the majority-vote counts seed the matrices: 'itk' (row-normalised, default) or 'columns'. */
  seed?: 'itk' | 'columns';
  /** Estimate only from the voxels where raters disagree, keeping the consensus fixed; default false. */
  restrictToDisagreement?: boolean;
  /** A 0/1 mask on the raters' grid; outside it labels are 0 and nothing is estimated. */
  mask?: Volume;
}

/** Global multi-label STAPLE parameters, as estimated on a pattern table. */
export interface MultiLabelStapleModel {
  /** Per rater, L×L matrix flattened row-major: cm[(i * L) + j] = P(says i | truth j). */
  cm: Float64Array[];
  /** Label prior, L entries. */
  prior: Float64Array;
  /** EM steps taken. */
  iterations: number;
  /**
   * True when the EM stopped because no matrix entry changed by `tolerance` or more; false when it hit `maxIterations`.
   */
  converged: boolean;
}

/** Fuses `raters` with multi-label STAPLE. */
export function multiLabelStaple(raters: readonly Volume[], options: MultiLabelStapleOptions = {}): FusionResult {
  const stack = stackRaters(raters, options);
  const undecided = undecidedLabelFor(stack.labels, options.undecidedLabel);
  const L = stack.labels.length;
  const table = patternTable(stack.indices, maskArray(options.mask));
  const weight = patternWeights(table, options.restrictToDisagreement ?? false);
  const model = estimateMultiLabelStaple(table, L, weight, options);
  const W = new Float64Array(L);
  const winners = new Int32Array(table.size);
  for (let p = 0; p < table.size; p++) {
    const agreed = consensusLabel(table, p);
    if (weight[p] === 0 && agreed >= 0) {
      winners[p] = agreed;
      continue;
    }
    posterior(table, p, model, L, W);
    winners[p] = argmaxOrTie(W);
  }
  const { volume, data } = labelVolume(stack.volumes[0], Math.max(undecided, stack.labels[L - 1]));
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0) continue;
    data[v] = winners[p] < 0 ? undecided : stack.labels[winners[p]];
  }
  return {
    method: 'multilabel-staple',
    labels: volume,
    probability: null,
    labelValues: stack.labels,
    undecidedLabel: undecided,
    iterations: model.iterations,
    converged: model.converged,
    raters: stack.names.map((name, k) => ({
      name,
      sensitivity: null,
      specificity: null,
      confusionMatrix: matrixRows(model.cm[k], L),
    })),
  };
}

/** Voxels per pattern taking part in estimation: all, or only disagreement patterns. */
export function patternWeights(table: PatternTable, restrictToDisagreement: boolean): Float64Array {
  const weight = Float64Array.from(table.counts);
  if (restrictToDisagreement) for (let p = 0; p < table.size; p++) if (consensusLabel(table, p) >= 0) weight[p] = 0;
  return weight;
}

/** Runs multi-label STAPLE's EM on a pattern table with `L` labels, counting pattern p `weight[p]` times. */
export function estimateMultiLabelStaple(
  table: PatternTable,
  L: number,
  weight: Float64Array,
  options: Pick<MultiLabelStapleOptions, 'maxIterations' | 'tolerance' | 'seed'> = {},
): MultiLabelStapleModel {
  const R = table.raters;
  const prior = new Float64Array(L);
  for (let p = 0; p < table.size; p++) for (let k = 0; k < R; k++) prior[table.patterns[p * R + k]] += weight[p];
  normalise(prior);
  const cm = seedMatrices(table, L, weight, options.seed ?? 'itk');
  const next = cm.map(() => new Float64Array(L * L));
  const W = new Float64Array(L);
  const maxIterations = options.maxIterations ?? 10000;
  const tolerance = options.tolerance ?? 1e-5;
  const model: MultiLabelStapleModel = { cm, prior, iterations: 0, converged: false };
  while (model.iterations < maxIterations) {
    for (const m of next) m.fill(0);
    for (let p = 0; p < table.size; p++) {
      const c = weight[p];
      if (c === 0) continue;
      posterior(table, p, model, L, W);
      for (let k = 0; k < R; k++) {
        const row = table.patterns[p * R + k] * L;
        const m = next[k];
        for (let s = 0; s < L; s++) m[row + s] += c * W[s];
      }
    }
    let maxUpdate = 0;
    for (let k = 0; k < R; k++) {
      normaliseColumns(next[k], L);
      for (let e = 0; e < L * L; e++) {
        maxUpdate = Math.max(maxUpdate, Math.abs(next[k][e] - cm[k][e]));
        cm[k][e] = next[k][e];
      }
    }
    model.iterations++;
    if (maxUpdate < tolerance) {
      model.converged = true;
      break;
    }
  }
  return model;
}

/** Normalised posterior over true labels of pattern `p` into `W` (left unnormalised when all are 0). */
export function posterior(
  table: PatternTable,
  p: number,
  model: MultiLabelStapleModel,
  L: number,
  W: Float64Array,
): void {
  const R = table.raters;
  W.set(model.prior);
  for (let k = 0; k < R; k++) {
    const row = table.patterns[p * R + k] * L;
    const m = model.cm[k];
    for (let s = 0; s < L; s++) W[s] *= m[row + s];
  }
  normalise(W);
}

/** Index of the largest entry, or -1 when the largest is shared or every entry is 0 (ITK's rule). */
export function argmaxOrTie(W: Float64Array): number {
  let winner = -1;
  let best = 0;
  for (let s = 0; s < W.length; s++) {
    if (W[s] > best) {
      best = W[s];
      winner = s;
    } else if (W[s] === best) {
      winner = -1;
    }
  }
  return winner;
}

/** A flattened L×L matrix as rows. */
export function matrixRows(m: Float64Array, L: number): number[][] {
  return Array.from({ length: L }, (_, i) => Array.from(m.subarray(i * L, (i + 1) * L)));
}

function seedMatrices(table: PatternTable, L: number, weight: Float64Array, seed: 'itk' | 'columns'): Float64Array[] {
  const R = table.raters;
  const winners = patternVotes(table, L);
  const cm = Array.from({ length: R }, () => new Float64Array(L * L));
  for (let p = 0; p < table.size; p++) {
    if (winners[p] < 0 || weight[p] === 0) continue;
    for (let k = 0; k < R; k++) cm[k][table.patterns[p * R + k] * L + winners[p]] += weight[p];
  }
  for (const m of cm) {
    if (seed === 'columns') normaliseColumns(m, L);
    else for (let i = 0; i < L; i++) normalise(m.subarray(i * L, (i + 1) * L));
  }
  return cm;
}

function normalise(v: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  if (sum > 0) for (let i = 0; i < v.length; i++) v[i] /= sum;
}

function normaliseColumns(m: Float64Array, L: number): void {
  for (let j = 0; j < L; j++) {
    let sum = 0;
    for (let i = 0; i < L; i++) sum += m[i * L + j];
    if (sum > 0) for (let i = 0; i < L; i++) m[i * L + j] /= sum;
  }
}
