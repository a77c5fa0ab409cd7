/**
 * Cross-validation folds for out-of-fold predictions: every case lands in exactly one fold, fold sizes differ by at
 * most one, and the assignment is a pure function of the case ids and the seed (shuffled with the project's Rng,
 * then dealt round-robin), so the same audit gives the same folds on any machine.
 */
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/index.ts';

/** Fold index (0…folds−1) per case id. */
export function assignFolds(caseIds: readonly string[], folds: number, seed: number): Map<string, number> {
  if (!Number.isInteger(folds) || folds < 2)
    throw new MultiraterError('invalid_argument', `audit: options.folds must be a whole number ≥ 2, got ${folds}`);
  if (caseIds.length < folds)
    throw new MultiraterError(
      'invalid_argument',
      `audit: ${caseIds.length} case(s) with labels cannot fill ${folds} folds; use options.folds ${Math.max(2, caseIds.length)} or fewer`,
    );
  const order = [...caseIds].sort();
  const rng = new Rng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Map(order.map((id, i) => [id, i % folds]));
}
