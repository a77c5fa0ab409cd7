import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../evaluation-records.ts';
import { NOISY_RATIO_PRESETS } from './noisy-ratio.ts';
import { powerNote, powerTable } from './noisy-ratio-report.ts';

/** One test case per draw, so each draw's mean is its Dice. */
const DICE: Record<number, number[]> = { 0: [0.8, 0.84, 0.82], 0.2: [0.78, 0.78, 0.81], 1: [0.7, 0.76, 0.73] };
const settings = { ...NOISY_RATIO_PRESETS.smoke, ratios: [0, 0.2, 1], draws: 3 };
const records: CaseRecord[] = Object.entries(DICE).flatMap(([ratio, values]) =>
  values.map((dice, d) => ({
    tags: { ratio: Number(ratio), draw: d + 1, split: 'test', against: 'clean' },
    caseId: 'c1',
    subject: null,
    group: null,
    vendor: null,
    frame: null,
    metrics: { '1': { dice } },
    regions: null,
  })),
);

describe('noisy-ratio power table', () => {
  it('gives the between-draw sd, the detectable difference from 0 % and the draws the seed’s 0.07 drop needs', () => {
    // sds over the draws: 0 % 0.02, 20 % √0.0003 = 0.017321, 100 % 0.03. With 0 % pooled (weights 2 and 2):
    // 20 %: √((0.0004 + 0.0003) / 2) = 0.018708, 100 %: √((0.0004 + 0.0009) / 2) = 0.025495; all three: √(0.0016 / 3)
    // = 0.023094. 3 vs 3 draws, ν = 4: t(0.975; 4) + t(0.8; 4) = 2.776445 + 0.940965 = 3.717410, √(2/3) = 0.816497,
    // so δ = 3.717410 × 0.816497 × s: 0.056784, 0.077384, 0.070096. The seed's 0.07: s 0.018708 needs 3 draws
    // (δ at 2: 0.1003); 0.025495 needs 4 (δ at 3: 0.0774, at 4: 0.0604); 0.023094 needs 4 (δ at 3: 0.0701 > 0.07).
    const t = powerTable(records, settings);
    expect(t.rows.map((r) => r.ratio)).toEqual(['0 %', '20 %', '100 %', 'pooled over the ratios']);
    expect(t.rows.map((r) => r.draws)).toEqual([3, 3, 3, 3]);
    const col = (key: string) => t.rows.map((r) => r[key] as number | null);
    [0.02, Math.sqrt(0.0003), 0.03, Math.sqrt(0.0016 / 3)].forEach((sd, i) => expect(col('sd')[i]).toBeCloseTo(sd, 12));
    expect(col('observed')[0]).toBeNull();
    expect(col('observed')[1]).toBeCloseTo(0.79 - 0.82, 12);
    expect(col('observed')[2]).toBeCloseTo(0.73 - 0.82, 12);
    expect(col('detectable')[0]).toBeNull();
    expect(col('detectable')[1]).toBeCloseTo(0.056784, 5);
    expect(col('detectable')[2]).toBeCloseTo(0.077384, 5);
    expect(col('detectable')[3]).toBeCloseTo(0.070096, 5);
    expect(col('drawsForSeed')).toEqual([null, 3, 4, 4]);
  });

  it('says in the notes whether the draws resolve the seed’s drop, with the pooled numbers', () => {
    expect(powerNote(records, settings)).toBe(
      "Power (Table 3): the pooled sd of test Dice between draws is 0.0231; 3 against 3 draws detect a difference of 0.0701 (two-sided t, p < 0.05, power 0.8), larger than the seed's clean-to-100 % drop of 0.07, so a drop of that size can go undetected here (4 draws per ratio would be needed at this sd).",
    );
    expect(powerNote(records, { ...settings, draws: 1 })).toMatch(/no between-draw sd/);
  });
});
