/**
 * Mean of the raters: per label, the fraction of raters that gave each voxel that label (a soft label map).
 * The hard labels are the label with the largest fraction, ties going to the larger label, so for a binary map
 * the fused foreground is exactly "probability ≥ 0.5" as with STAPLE.
 */
import type { Volume } from '../volume/index.ts';
import { labelVolume, namesOnly, probabilityVolume, type FusionResult } from './fusion-result.ts';
import { patternTable } from './pattern-table.ts';
import { maskArray, stackRaters } from './rater-stack.ts';

/** Options of {@link meanVote}. */
export interface MeanVoteOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Label whose vote fraction is returned as `probability`; default 1. */
  foreground?: number;
  /** A 0/1 mask on the raters' grid; outside it fractions are 0 and labels 0. */
  mask?: Volume;
}

/** Result of `meanVote`: the fused labels and foreground probability, plus every label's vote fractions. */
export interface MeanVoteResult extends FusionResult {
  /** Per label (as `labelValues`), the fraction of raters giving each voxel that label, 0–1. */
  fractions: Float32Array[];
}

/** Fuses `raters` by averaging their one-hot labels. */
export function meanVote(raters: readonly Volume[], options: MeanVoteOptions = {}): MeanVoteResult {
  const stack = stackRaters(raters, options);
  const L = stack.labels.length;
  const R = stack.indices.length;
  const table = patternTable(stack.indices, maskArray(options.mask));
  const patternFractions = new Float64Array(table.size * L);
  const patternLabel = new Int32Array(table.size);
  for (let p = 0; p < table.size; p++) {
    for (let r = 0; r < R; r++) patternFractions[p * L + table.patterns[p * R + r]] += 1 / R;
    let best = 0;
    for (let l = 1; l < L; l++) if (patternFractions[p * L + l] >= patternFractions[p * L + best]) best = l;
    patternLabel[p] = best;
  }
  const fractions = stack.labels.map(() => new Float32Array(stack.voxels));
  const { volume, data } = labelVolume(stack.volumes[0], stack.labels[L - 1]);
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0) continue;
    data[v] = stack.labels[patternLabel[p]];
    for (let l = 0; l < L; l++) fractions[l][v] = patternFractions[p * L + l];
  }
  const fg = stack.labels.indexOf(options.foreground ?? 1);
  const probability = probabilityVolume(stack.volumes[0], fg >= 0 ? fractions[fg] : new Float32Array(stack.voxels));
  return {
    method: 'mean',
    labels: volume,
    probability,
    labelValues: stack.labels,
    undecidedLabel: null,
    iterations: null,
    converged: null,
    raters: namesOnly(stack.names),
    fractions,
  };
}
