/**
 * The deterministic sub-set sampling of the expert-adaptive segmentation study (seed 002): the N training images
 * in a fixed order; `ways` (default 10) ways, way k starting at image k·⌊N/ways⌋ (0-based; for N = 34: images
 * 1, 4, 7, …, 28 in the paper's 1-based numbering) and taking n consecutive images from its start, wrapping past
 * the last image to the first (n = 10, N = 34: 1–10, 4–13, …, 28–34 then 1–3). A larger n extends every way, so
 * its images contain those of any smaller n. The experts of a setting are every combination of k of the training
 * experts (C(5, k) for the paper's five), in lexicographic order; results of one way are averaged over them.
 */
import { MultiraterError } from '../errors.ts';

/** Options of `adaptationWays`. */
export interface AdaptationWaysOptions {
  /** Number of ways; default 10 (the paper). */
  ways?: number;
}

/** The image indices (0-based, into the fixed order of `total` images) of each way for `samples` images per way. */
export function adaptationWays(total: number, samples: number, options: AdaptationWaysOptions = {}): number[][] {
  const ways = options.ways ?? 10;
  for (const [name, v] of [
    ['images', total],
    ['samples', samples],
    ['ways', ways],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new MultiraterError('invalid_argument', `adaptation ways: ${name} must be a positive integer, got ${v}`);
  }
  if (samples > total)
    throw new MultiraterError(
      'invalid_argument',
      `adaptation ways: ${samples} samples per way, but only ${total} images`,
    );
  const step = Math.max(1, Math.floor(total / ways));
  return Array.from({ length: ways }, (_, k) => Array.from({ length: samples }, (_, i) => (k * step + i) % total));
}

/** Every combination of `k` of `experts`, in lexicographic order of positions (C(n, k) of them; k = 0 gives [[]]). */
export function expertCombinations<T>(experts: readonly T[], k: number): T[][] {
  if (!Number.isInteger(k) || k < 0 || k > experts.length)
    throw new MultiraterError(
      'invalid_argument',
      `expert combinations: k must be an integer within 0–${experts.length}, got ${k}`,
    );
  const out: T[][] = [];
  const pick = (start: number, chosen: T[]): void => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i <= experts.length - (k - chosen.length); i++) pick(i + 1, [...chosen, experts[i]]);
  };
  pick(0, []);
  return out;
}
