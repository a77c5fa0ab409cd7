/**
 * Majority vote with ITK's LabelVotingImageFilter semantics: each voxel takes the label most raters gave it; when
 * two or more labels share the largest vote count the voxel gets the "undecided" label (default: the largest label
 * any rater used + 1). Voxels outside the mask get 0.
 */
import type { Volume } from '../volume/index.ts';
import { undecidedLabelFor, labelVolume, namesOnly, type FusionResult } from './fusion-result.ts';
import { patternTable, type PatternTable } from './pattern-table.ts';
import { maskArray, stackRaters, type RaterStack } from './rater-stack.ts';

/** Options of {@link majorityVote}. */
export interface MajorityVoteOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Label written on ties; default the largest label any rater used + 1. */
  undecidedLabel?: number;
  /** A 0/1 mask on the raters' grid; outside it the result is 0. */
  mask?: Volume;
}

/** Fuses `raters` by majority vote. */
export function majorityVote(raters: readonly Volume[], options: MajorityVoteOptions = {}): FusionResult {
  const stack = stackRaters(raters, options);
  const undecided = undecidedLabelFor(stack.labels, options.undecidedLabel);
  const table = patternTable(stack.indices, maskArray(options.mask));
  const winners = patternVotes(table, stack.labels.length);
  const { volume, data } = labelVolume(stack.volumes[0], Math.max(undecided, stack.labels[stack.labels.length - 1]));
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) {
    const p = vp[v];
    if (p < 0) continue;
    const w = winners[p];
    data[v] = w < 0 ? undecided : stack.labels[w];
  }
  return resultOf(stack, volume, undecided);
}

/** Per pattern, the index of the label with the most votes, or -1 on a tie for the most. */
export function patternVotes(table: PatternTable, labelCount: number): Int32Array {
  const votes = new Int32Array(labelCount);
  const winners = new Int32Array(table.size);
  const R = table.raters;
  for (let p = 0; p < table.size; p++) {
    votes.fill(0);
    for (let r = 0; r < R; r++) votes[table.patterns[p * R + r]]++;
    let best = 0;
    let winner = 0;
    for (let l = 1; l < labelCount; l++) {
      if (votes[l] > votes[best]) {
        best = l;
        winner = l;
      } else if (votes[l] === votes[best]) {
        winner = -1;
      }
    }
    winners[p] = winner;
  }
  return winners;
}

function resultOf(stack: RaterStack, labels: Volume, undecided: number): FusionResult {
  return {
    method: 'majority',
    labels,
    probability: null,
    labelValues: stack.labels,
    undecidedLabel: undecided,
    iterations: null,
    converged: null,
    raters: namesOnly(stack.names),
  };
}
