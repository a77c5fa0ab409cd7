/**
 * Where raters disagree, per voxel: how many raters differ from the majority, i.e. R − (votes of the most voted
 * label). 0 where all agree; on a tie the count is the same whichever tied label is called the majority. Computed
 * per decision pattern (pattern-table.ts), so it visits the distinct rater-label tuples, not every voxel twice.
 */
import { createVolume, type Volume } from '../volume/index.ts';
import { patternTable } from './pattern-table.ts';
import { maskArray, stackRaters } from './rater-stack.ts';

/** Options of {@link disagreementMap}. */
export interface DisagreementMapOptions {
  /** Names of the raters for messages (file paths). */
  names?: readonly string[];
  /** A 0/1 mask on the raters' grid; outside it the count is 0. */
  mask?: Volume;
}

/** Per voxel, the number of raters (0 … R−1) whose label differs from the most voted label; uint8 on the first rater's grid. */
export function disagreementMap(raters: readonly Volume[], options: DisagreementMapOptions = {}): Volume<Uint8Array> {
  const stack = stackRaters(raters, options);
  const table = patternTable(stack.indices, maskArray(options.mask));
  const R = table.raters;
  const votes = new Int32Array(stack.labels.length);
  const differing = new Uint8Array(table.size);
  for (let p = 0; p < table.size; p++) {
    votes.fill(0);
    let most = 0;
    for (let r = 0; r < R; r++) most = Math.max(most, ++votes[table.patterns[p * R + r]]);
    differing[p] = R - most;
  }
  const out = new Uint8Array(stack.voxels);
  const vp = table.voxelPattern;
  for (let v = 0; v < vp.length; v++) if (vp[v] >= 0) out[v] = differing[vp[v]];
  const first = stack.volumes[0];
  return createVolume(first.shape.slice(), out, { spacing: first.spacing, affine: first.affine });
}
