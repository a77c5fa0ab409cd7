/**
 * The paired t-test of two arms' per-case (or per-subject) values, over the ids both have: the studies' reports key
 * each arm's values by case id and test an arm against its baseline on the cases both were evaluated on.
 */
import { pairedTTest, type TTestResult } from '../../stats/index.ts';

/** Two-sided paired t-test of `a` against `b` over the ids both have, in `a`'s order; null when they share none. */
export function pairedById(
  a: ReadonlyMap<string, number> | undefined,
  b: ReadonlyMap<string, number> | undefined,
): TTestResult | null {
  if (a === undefined || b === undefined) return null;
  const ids = [...a.keys()].filter((id) => b.has(id));
  if (ids.length === 0) return null;
  return pairedTTest(
    ids.map((id) => a.get(id)!),
    ids.map((id) => b.get(id)!),
  );
}
