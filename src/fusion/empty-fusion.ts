/**
 * The fusion of raters who all left the foreground empty (a case where the structure is absent, or was skipped
 * by everyone): every voxel background, and no rater performance to estimate — sensitivity is undefined without
 * foreground, so all rates are null. STAPLE would refuse such a case (its foreground label appears nowhere);
 * dataset-level fusion gives it this result with a warning instead of aborting every other case.
 */
import type { Volume } from '../volume/index.ts';
import type { FusionMethod } from './fusion-method.ts';
import { labelVolume, namesOnly, type FusionResult } from './fusion-result.ts';
import { stackRaters } from './rater-stack.ts';

/** True when no voxel of any rater holds `label`, or (label null) any value other than 0. */
export function foregroundEmpty(raters: readonly Volume[], label: number | null): boolean {
  for (const { data } of raters) {
    for (let i = 0; i < data.length; i++) {
      if (label === null ? data[i] !== 0 : data[i] === label) return false;
    }
  }
  return true;
}

/** The all-background result of `method` on `raters` (checked as for any fusion: count, grids, label values). */
export function emptyFusion(method: FusionMethod, raters: readonly Volume[], names?: readonly string[]): FusionResult {
  const stack = stackRaters(raters, { names });
  return {
    method: method.name,
    labels: labelVolume(stack.volumes[0], 0).volume,
    probability: null,
    labelValues: stack.labels,
    undecidedLabel: null,
    iterations: null,
    converged: null,
    raters: namesOnly(stack.names),
  };
}
