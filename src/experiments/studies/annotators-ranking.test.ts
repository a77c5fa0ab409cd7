import { describe, expect, it } from 'vitest';
import { RANKINGS, rankingCheck, rankingTable } from './annotators-ranking.ts';

/** The paper's Table 1 (Dice %): its own ranking holds on it. */
const PAPER_TABLE: [string, number][] = [
  ['mean', 38.4],
  ['mode', 62.9],
  ['separate', 70.4],
  ['staple', 78.0],
  ['spatial-staple', 79.0],
  ['ours-0', 79.6],
  ['ours-0.1', 82.9],
];

describe('rankingCheck', () => {
  it("holds on the paper's own Table 1", () => {
    expect(rankingCheck(RANKINGS.paper, new Map(PAPER_TABLE))).toEqual({
      outcome: 'holds',
      missing: [],
      inversions: [],
    });
  });

  it('names each neighbour pair out of order, with its values', () => {
    // Hand-made: λ = 0.1 collapses below λ = 0, and mode beats separate; the rest in the paper's order.
    const table = new Map<string, number | null>([
      ['mean', 93.4],
      ['mode', 97.0],
      ['separate', 95.9],
      ['staple', 96.5],
      ['spatial-staple', 98.6],
      ['ours-0', 99.0],
      ['ours-0.1', 48.7],
    ]);
    expect(rankingCheck(RANKINGS.paper, table)).toEqual({
      outcome: 'fails',
      missing: [],
      inversions: [
        { better: 'ours-0.1', worse: 'ours-0', betterValue: 48.7, worseValue: 99.0 },
        { better: 'separate', worse: 'mode', betterValue: 95.9, worseValue: 97.0 },
      ],
    });
  });

  it('is incomplete when methods are missing and those present are in order; a tie is out of order', () => {
    const partial = new Map<string, number | null>([
      ['mean', 60],
      ['mode', 70],
      ['staple', 80],
      ['ours-0', null],
    ]);
    expect(rankingCheck(RANKINGS.paper, partial)).toEqual({
      outcome: 'incomplete',
      missing: ['ours-0.1', 'ours-0', 'spatial-staple', 'separate'],
      inversions: [],
    });
    // Missing methods are skipped: staple is compared with mode, its next present neighbour.
    expect(rankingCheck(RANKINGS.paper, new Map([...partial, ['staple', 70]])).inversions).toEqual([
      { better: 'staple', worse: 'mode', betterValue: 70, worseValue: 70 },
    ]);
  });

  it("checks the published code's loss on its own rows, sharing the baselines", () => {
    const table = new Map<string, number | null>([
      ...PAPER_TABLE,
      ['ours-published-0', 75],
      ['ours-published-0.1', 81],
    ]);
    // 75 < Spatial STAPLE's 79.0: λ = 0 on the published loss falls below it.
    expect(rankingCheck(RANKINGS.published, table).inversions).toEqual([
      { better: 'ours-published-0', worse: 'spatial-staple', betterValue: 75, worseValue: 79.0 },
    ]);
    const t = rankingTable(table, () => null);
    expect(t.rows.map((r) => [r.method, r.paperLoss, r.publishedLoss])).toEqual([
      ['ours λ = 0.1', 82.9, 81],
      ['ours λ = 0', 79.6, 75],
      ['Spatial STAPLE', 79.0, 79.0],
      ['STAPLE', 78.0, 78.0],
      ['separate', 70.4, 70.4],
      ['mode', 62.9, 62.9],
      ['mean', 38.4, 38.4],
      ['ranking', 'holds', 'fails'],
    ]);
    expect(t.footnotes.at(-1)).toBe(
      "With ours on the published code's loss, the paper's ranking does not appear: 1 neighbour pair(s) out of order, ours λ = 0 75.0 ≤ Spatial STAPLE 79.0.",
    );
  });
});
