/**
 * Table 4 of the annotators study: does the paper's ranking of the dense methods (Zhang et al. 2020, Table 1: ours
 * λ = 0.1 > ours λ = 0 > Spatial STAPLE > STAPLE > separate > mode > mean, by test Dice) appear in this run, with
 * ours trained on the paper's loss (eq. 4) and on the loss of the authors' published code? Both are checked on the
 * same Table 1 means; the baselines are shared. The ranking holds when each method present beats the next one
 * present (strictly, by its mean over repeats; a strict order of neighbours is the order of all pairs).
 */
import type { ReportTable } from '../../report/index.ts';

/** The paper's dense ranking, best first, with ours' rows named by `ours(λ)`. */
export function paperRanking(ours: (lambda: number) => string): string[] {
  return [ours(0.1), ours(0), 'spatial-staple', 'staple', 'separate', 'mode', 'mean'];
}

/** The ranking with ours on the paper's loss (rows `ours-λ`) and on the published code's (`ours-published-λ`). */
export const RANKINGS = {
  paper: paperRanking((l) => `ours-${l}`),
  published: paperRanking((l) => `ours-published-${l}`),
} as const;

/** What `rankingCheck` found. */
export interface RankingCheck {
  /**
   * 'holds': every method of the ranking is in the table and each beats the next; 'fails': two neighbours among
   * those present are out of order; 'incomplete': methods are missing and those present are in order.
   */
  outcome: 'holds' | 'fails' | 'incomplete';
  /** The ranking's methods the table has no value for. */
  missing: string[];
  /** Neighbours among those present (better by the paper first) whose values are not in the paper's order. */
  inversions: { better: string; worse: string; betterValue: number; worseValue: number }[];
}

/** Checks `ranking` (best first) against `values` (method → mean Dice; missing or null: not in the table). */
export function rankingCheck(ranking: readonly string[], values: ReadonlyMap<string, number | null>): RankingCheck {
  const present = ranking.flatMap((method) => {
    const value = values.get(method);
    return value === undefined || value === null ? [] : [{ method, value }];
  });
  const missing = ranking.filter((m) => !present.some((p) => p.method === m));
  const inversions = present.slice(1).flatMap((worse, k) => {
    const better = present[k];
    return better.value > worse.value
      ? []
      : [{ better: better.method, worse: worse.method, betterValue: better.value, worseValue: worse.value }];
  });
  return {
    outcome: inversions.length > 0 ? 'fails' : missing.length > 0 ? 'incomplete' : 'holds',
    missing,
    inversions,
  };
}

/** One sentence saying what `check` found, the methods named by `label`. */
export function rankingSentence(check: RankingCheck, label: (method: string) => string): string {
  const pairs = check.inversions
    .map((x) => `${label(x.better)} ${x.betterValue.toFixed(1)} ≤ ${label(x.worse)} ${x.worseValue.toFixed(1)}`)
    .join('; ');
  const missing = check.missing.length === 0 ? '' : ` (not in this run: ${check.missing.map(label).join(', ')})`;
  if (check.outcome === 'holds') return "the paper's ranking appears: each method beats the next.";
  if (check.outcome === 'incomplete')
    return `the methods present are in the paper's order, but the ranking cannot be checked in full${missing}.`;
  return `the paper's ranking does not appear: ${check.inversions.length} neighbour pair(s) out of order, ${pairs}${missing}.`;
}

/** A ranking row's label: λ for ours, the baseline's name otherwise. */
function rankLabel(method: string): string {
  const ours = /^ours-(?:published-)?([0-9.e-]+)$/.exec(method);
  if (ours !== null) return `ours λ = ${ours[1]}`;
  return { 'spatial-staple': 'Spatial STAPLE', staple: 'STAPLE' }[method] ?? method;
}

/**
 * Table 4 from Table 1's mean test Dice per method tag (`dice`) and the paper's (`paper`): one row per rank, the
 * value with each loss, and a last row with each check's outcome (the footnotes say it in words).
 */
export function rankingTable(
  dice: ReadonlyMap<string, number | null>,
  paper: (method: string) => number | null,
): ReportTable {
  const checks = { paper: rankingCheck(RANKINGS.paper, dice), published: rankingCheck(RANKINGS.published, dice) };
  const rows = RANKINGS.paper.map((method, k) => ({
    rank: k + 1,
    method: rankLabel(method),
    paper: paper(method),
    paperLoss: dice.get(method) ?? null,
    publishedLoss: dice.get(RANKINGS.published[k]) ?? null,
  }));
  return {
    id: 'table4-ranking',
    title:
      "Table 4. The paper's ranking of the dense methods, with ours on the paper's loss and on the published code's",
    columns: [
      { key: 'rank', label: 'paper rank', decimals: 0 },
      { key: 'method', label: 'method' },
      { key: 'paper', label: 'paper Dice (%)', decimals: 1 },
      { key: 'paperLoss', label: "Dice (%), ours on the paper's loss", decimals: 1, lowerIsBetter: false },
      { key: 'publishedLoss', label: "Dice (%), ours on the published code's loss", decimals: 1, lowerIsBetter: false },
    ],
    rows: [
      ...rows,
      {
        rank: null,
        method: 'ranking',
        paper: 'holds',
        paperLoss: checks.paper.outcome,
        publishedLoss: checks.published.outcome,
      },
    ],
    footnotes: [
      "Dice: Table 1's test Dice (mean over repeats); the baselines' rows are the same in both columns, only ours differs. The paper's ranking: ours λ = 0.1 > ours λ = 0 > Spatial STAPLE > STAPLE > separate > mode > mean (Zhang et al. 2020, Table 1).",
      "The published code's loss (`train --cm-loss published`): PyTorch's CrossEntropyLoss over the products A·p, which passes those probabilities through a second softmax, and λ times the per-pixel traces summed and divided by the pixels; the paper's: −log of A·p (eq. 4).",
      `With ours on the paper's loss, ${rankingSentence(checks.paper, rankLabel)}`,
      `With ours on the published code's loss, ${rankingSentence(checks.published, rankLabel)}`,
    ],
  };
}
