/**
 * Spatial STAPLE: Asman & Landman, "Formulating spatially varying performance in the statistical fusion
 * framework", IEEE TMI 31(6), 2012. Each rater's confusion matrix varies over the image: it is estimated in
 * overlapping windows and regularised towards the rater's whole-image matrix θ*_k (from multi-label STAPLE), which
 * acts as a prior worth κ = `priorWeight` voxels:
 *   θ_k,w[i][j] = (Σ_{v∈w} W_v(j)·[D_k(v) = i] + κ·θ*_k[i][j]) / (Σ_{v∈w} W_v(j) + κ)
 * E-step: W_v(j) ∝ f_v(j) · Π_k θ_k(v)[D_k(v)][j], with θ_k(v) and f_v interpolated between window centres.
 * Windows are centred on a grid of blocks (block-grid.ts); a window spans the blocks within `windowBlocks` of its
 * centre block.
 * Deliberate deviation: the label prior f is regional too — the raters' label frequencies in the window, with the
 * whole-image frequencies counted κ times per rater. With one whole-image prior, windows inside a large structure
 * read the prior's pull towards background as rater error and the estimate drifts away from the good raters
 * (measured: Dice 0.73 against global STAPLE's 0.80 on the quadrant test case; 0.91 with the regional prior).
 * Deliberate simplification: voxels where all raters agree keep that label (W one-hot, as NiftySeg's `-unc`) and
 * enter the window sums as per-block counts, so an EM step visits only the voxels where raters disagree.
 * Stops when no regional matrix entry changes by `tolerance` or more, or at `maxIterations`.
 */
import { MultiraterError } from '../errors.ts';
import type { Volume } from '../volume/index.ts';
import { blockGrid, blockIndex, interpolationCorners, windowSums, type BlockGrid } from './block-grid.ts';
import { undecidedLabelFor, labelVolume, type FusionResult } from './fusion-result.ts';
import {
  argmaxOrTie,
  estimateMultiLabelStaple,
  matrixRows,
  posterior,
  type MultiLabelStapleModel,
} from './multilabel-staple.ts';
import { consensusLabel, patternTable, type PatternTable } from './pattern-table.ts';
import { maskArray, stackRaters, type RaterStack } from './rater-stack.ts';

/** Options of {@link spatialStaple} (Asman & Landman): the block size and the EM settings. */
export interface SpatialStapleOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Block edge in voxels, one number for every axis or one per axis; default 8. */
  blockSize?: number | number[];
  /** Window half-width in blocks (window = (2·windowBlocks + 1)^d blocks); default 1. */
  windowBlocks?: number;
  /** Weight of the whole-image matrix in each window, in voxels; default the voxels of one block. */
  priorWeight?: number;
  /** Label written on posterior ties; default the largest label any rater used + 1. */
  undecidedLabel?: number;
  /** Largest number of EM steps; default 100. */
  maxIterations?: number;
  /** Stop when no regional matrix entry changes by this much or more (probability); default 1e-4. */
  tolerance?: number;
  /** A 0/1 mask on the raters' grid; outside it labels are 0 and nothing is estimated. */
  mask?: Volume;
}

/** Fuses `raters` with Spatial STAPLE. Reported confusion matrices are the whole-image priors θ*. */
export function spatialStaple(raters: readonly Volume[], options: SpatialStapleOptions = {}): FusionResult {
  const stack = stackRaters(raters, options);
  const undecided = undecidedLabelFor(stack.labels, options.undecidedLabel);
  const shape = stack.volumes[0].shape;
  const blockSize = resolveBlockSize(options.blockSize ?? 8, shape.length);
  const grid = blockGrid(shape, blockSize);
  const L = stack.labels.length;
  const table = patternTable(stack.indices, maskArray(options.mask));
  const global = estimateMultiLabelStaple(table, L, table.counts, { seed: 'columns' });
  const kappa = options.priorWeight ?? blockSize.reduce((a, b) => a * b, 1);
  if (!(kappa > 0))
    throw new MultiraterError('invalid_argument', `prior weight must be positive (voxels), got ${kappa}`);
  const state = initialState(stack, table, grid, global, L);
  windowLabelPrior(state, global.prior, kappa, options.windowBlocks ?? 1);
  const { iterations, converged } = runEm(state, global, kappa, options.windowBlocks ?? 1, {
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 1e-4,
  });
  const { volume, data } = labelVolume(stack.volumes[0], Math.max(undecided, stack.labels[L - 1]));
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) {
    if (vp[v] >= 0) data[v] = stack.labels[Math.max(0, consensusLabel(table, vp[v]))];
  }
  const W = new Float64Array(L);
  for (let n = 0; n < state.voxels.length; n++) {
    W.set(state.W.subarray(n * L, (n + 1) * L));
    const winner = argmaxOrTie(W);
    data[state.voxels[n]] = winner < 0 ? undecided : stack.labels[winner];
  }
  return {
    method: 'spatial-staple',
    labels: volume,
    probability: null,
    labelValues: stack.labels,
    undecidedLabel: undecided,
    iterations,
    converged,
    raters: stack.names.map((name, k) => ({
      name,
      sensitivity: null,
      specificity: null,
      confusionMatrix: matrixRows(global.cm[k], L),
    })),
  };
}

interface SpatialState {
  grid: BlockGrid;
  raters: number;
  labels: number;
  /** Linear indices of the voxels where raters disagree. */
  voxels: Int32Array;
  /** Their blocks. */
  blockOfVoxel: Int32Array;
  /** Their label indices, rater-minor: decisions[n * R + k]. */
  decisions: Uint16Array;
  /** Their posteriors, W[n * L + j]. */
  W: Float64Array;
  /** Per block and label, the consensus voxels of that label. */
  consensus: Float64Array;
  /** Per block, the label prior of its window (L entries per block). */
  prior: Float64Array;
}

function initialState(
  stack: RaterStack,
  table: PatternTable,
  grid: BlockGrid,
  global: MultiLabelStapleModel,
  L: number,
): SpatialState {
  const R = table.raters;
  const vp = table.voxelPattern;
  const agreed = Int32Array.from({ length: table.size }, (_, p) => consensusLabel(table, p));
  const consensus = new Float64Array(grid.count * L);
  let disagreeing = 0;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0) continue;
    if (agreed[p] >= 0) consensus[blockIndex(grid, v) * L + agreed[p]]++;
    else disagreeing++;
  }
  const voxels = new Int32Array(disagreeing);
  const blockOfVoxel = new Int32Array(disagreeing);
  const decisions = new Uint16Array(disagreeing * R);
  const W = new Float64Array(disagreeing * L);
  const patternPosterior = new Float64Array(L);
  let n = 0;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0 || agreed[p] >= 0) continue;
    voxels[n] = v;
    blockOfVoxel[n] = blockIndex(grid, v);
    for (let k = 0; k < R; k++) decisions[n * R + k] = stack.indices[k][v];
    posterior(table, p, global, L, patternPosterior);
    W.set(patternPosterior, n * L);
    n++;
  }
  return {
    grid,
    raters: R,
    labels: L,
    voxels,
    blockOfVoxel,
    decisions,
    W,
    consensus,
    prior: new Float64Array(grid.count * L),
  };
}

function runEm(
  s: SpatialState,
  global: MultiLabelStapleModel,
  kappa: number,
  windowBlocks: number,
  limits: { maxIterations: number; tolerance: number },
): { iterations: number; converged: boolean } {
  const { grid, raters: R, labels: L } = s;
  const matrixEntries = R * L * L;
  const entries = matrixEntries + L; // per block: R confusion-count matrices, then the posterior mass per label
  const sums = new Float64Array(grid.count * entries);
  const theta = new Float64Array(grid.count * matrixEntries);
  const corners = 1 << grid.shape.length;
  const cells = new Int32Array(corners);
  const weights = new Float64Array(corners);
  let iterations = 0;
  let converged = false;
  while (iterations < limits.maxIterations) {
    // M-step: window sums of posterior-weighted decisions, regularised towards θ*.
    sums.fill(0);
    for (let n = 0; n < s.voxels.length; n++) {
      const base = s.blockOfVoxel[n] * entries;
      for (let j = 0; j < L; j++) {
        const w = s.W[n * L + j];
        if (w === 0) continue;
        for (let k = 0; k < R; k++) sums[base + (k * L + s.decisions[n * R + k]) * L + j] += w;
        sums[base + matrixEntries + j] += w;
      }
    }
    for (let b = 0; b < grid.count; b++) {
      for (let l = 0; l < L; l++) {
        const c = s.consensus[b * L + l];
        if (c === 0) continue;
        for (let k = 0; k < R; k++) sums[b * entries + (k * L + l) * L + l] += c;
        sums[b * entries + matrixEntries + l] += c;
      }
    }
    windowSums(grid, sums, entries, windowBlocks);
    let maxUpdate = 0;
    for (let b = 0; b < grid.count; b++) {
      for (let k = 0; k < R; k++) {
        const prior = global.cm[k];
        for (let e = 0; e < L * L; e++) {
          const j = e % L;
          const value =
            (sums[b * entries + k * L * L + e] + kappa * prior[e]) / (sums[b * entries + matrixEntries + j] + kappa);
          const at = b * matrixEntries + k * L * L + e;
          maxUpdate = Math.max(maxUpdate, Math.abs(value - theta[at]));
          theta[at] = value;
        }
      }
    }
    // E-step at the disagreeing voxels with θ interpolated between block centres.
    for (let n = 0; n < s.voxels.length; n++) {
      interpolationCorners(grid, s.voxels[n], cells, weights);
      let total = 0;
      for (let j = 0; j < L; j++) {
        let w = 0;
        for (let c = 0; c < corners; c++) w += weights[c] * s.prior[cells[c] * L + j];
        for (let k = 0; k < R; k++) {
          const entry = k * L * L + s.decisions[n * R + k] * L + j;
          let value = 0;
          for (let c = 0; c < corners; c++) value += weights[c] * theta[cells[c] * matrixEntries + entry];
          w *= value;
        }
        s.W[n * L + j] = w;
        total += w;
      }
      if (total > 0) for (let j = 0; j < L; j++) s.W[n * L + j] /= total;
    }
    iterations++;
    if (iterations > 1 && maxUpdate < limits.tolerance) {
      converged = true;
      break;
    }
  }
  return { iterations, converged };
}

/**
 * Label prior per window: the raters' label frequencies in the window, with the whole-image frequencies `global`
 * counted `kappa` times per rater.
 */
function windowLabelPrior(s: SpatialState, global: Float64Array, kappa: number, windowBlocks: number): void {
  const { grid, raters: R, labels: L } = s;
  const votes = s.prior;
  votes.set(s.consensus);
  for (let i = 0; i < votes.length; i++) votes[i] *= R;
  for (let n = 0; n < s.voxels.length; n++) {
    for (let k = 0; k < R; k++) votes[s.blockOfVoxel[n] * L + s.decisions[n * R + k]]++;
  }
  windowSums(grid, votes, L, windowBlocks);
  for (let b = 0; b < grid.count; b++) {
    let total = kappa * R;
    for (let j = 0; j < L; j++) total += votes[b * L + j];
    for (let j = 0; j < L; j++) votes[b * L + j] = (votes[b * L + j] + kappa * R * global[j]) / total;
  }
}

function resolveBlockSize(blockSize: number | number[], dims: number): number[] {
  const sizes = typeof blockSize === 'number' ? Array.from({ length: dims }, () => blockSize) : blockSize;
  if (sizes.length !== dims || sizes.some((b) => !Number.isInteger(b) || b < 1)) {
    throw new MultiraterError(
      'invalid_argument',
      `block size must be ${dims} whole numbers ≥ 1 (voxels), got ${sizes.join('×')}`,
    );
  }
  return sizes;
}
