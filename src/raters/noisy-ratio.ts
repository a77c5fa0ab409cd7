/**
 * Noisy-annotation-ratio datasets (the mandible study: training sets with 0–100 % of cases annotated roughly):
 * for a ratio r and a draw d, round(r·n) of the n training cases take the noisy rater's annotation, the others the
 * clean one. Within a draw the noisy sets are nested (the 25 % cases are among the 50 % cases), so ratios differ
 * only in the cases added; different draws shuffle independently.
 */
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/index.ts';

/** Options of `noisyRatioRaters`: the noisy fractions, draws per fraction and the seed. */
export interface NoisyRatioOptions {
  /** Fractions of noisy training cases, each in [0, 1]. */
  ratios: readonly number[];
  /** Independent draws per ratio (≥ 1). */
  draws: number;
  /** Seed of the draws. */
  seed: number;
}

/** One mixed rater: its name and the set of training cases that get the noisy annotation. */
export interface NoisyRatioRater {
  /** `noisy{percent}` (draws = 1) or `noisy{percent}_d{draw}`. */
  name: string;
  /** Fraction of the training cases with the noisy annotation, 0–1 (round(ratio·n) cases). */
  ratio: number;
  /** Draw number, 1-based. */
  draw: number;
  /** Ids of the training cases that take the noisy rater's annotation; the others take the clean one's. */
  noisyCases: Set<string>;
}

/** The mixed raters for `trainCases` (ids in dataset order). */
export function noisyRatioRaters(trainCases: readonly string[], options: NoisyRatioOptions): NoisyRatioRater[] {
  if (!Number.isInteger(options.draws) || options.draws < 1)
    throw new MultiraterError('invalid_argument', `noisy ratio: draws must be an integer ≥ 1, got ${options.draws}`);
  for (const r of options.ratios) {
    if (!(r >= 0 && r <= 1))
      throw new MultiraterError('invalid_argument', `noisy ratio: ratios must lie in [0, 1], got ${r}`);
  }
  const out: NoisyRatioRater[] = [];
  for (let d = 1; d <= options.draws; d++) {
    const order = new Rng(options.seed).fork(`noisy-draw:${d}`).shuffle(trainCases);
    for (const ratio of options.ratios) {
      const pct = Math.round(ratio * 100);
      out.push({
        name: options.draws === 1 ? `noisy${pct}` : `noisy${pct}_d${d}`,
        ratio,
        draw: d,
        noisyCases: new Set(order.slice(0, Math.round(ratio * trainCases.length))),
      });
    }
  }
  return out;
}
