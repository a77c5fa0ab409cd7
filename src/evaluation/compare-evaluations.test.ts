import { describe, expect, it } from 'vitest';
import { compareEvaluations, type EvaluationForComparison } from './compare-evaluations.ts';

/** An evaluation of `values.length` cases with label 1's hd95 = values[i] (null = undefined for that case). */
function evaluation(values: (number | null)[]): EvaluationForComparison {
  return { cases: values.map((hd95, i) => ({ caseId: `case${i}`, labels: { '1': { dice: 0.9, hd95 } } })) };
}

describe('compareEvaluations', () => {
  it('paired: mean A, mean B and A − B are all over the cases with a value in both (the 82, 82, 81 report)', () => {
    // 82 cases; A's hd95 is undefined on case 5. A = 2 + i/100, B = 1 + i/50 on every case.
    const a = Array.from({ length: 82 }, (_, i) => (i === 5 ? null : 2 + i / 100));
    const b = Array.from({ length: 82 }, (_, i) => 1 + i / 50);
    const c = compareEvaluations(evaluation(a), evaluation(b), { paired: true }).labels['1'].hd95;
    const kept = [...Array(82).keys()].filter((i) => i !== 5);
    const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const meanA = meanOf(kept.map((i) => a[i]!));
    const meanB = meanOf(kept.map((i) => b[i]));
    expect(c.n).toBe(81);
    expect(c.meanA).toBeCloseTo(meanA, 12);
    expect(c.meanB).toBeCloseTo(meanB, 12);
    expect(c.meanDifference).toBeCloseTo(c.meanA! - c.meanB!, 12);
    // Over all 82 cases B's mean would be 1 + 81/100 = 1.81; over the 81 it is (1.81·82 − 1.1)/81.
    expect(c.meanB).toBeCloseTo((1.81 * 82 - 1.1) / 81, 12);
  });

  it('Welch: each mean over its own non-null values, n = nA + nB', () => {
    const c = compareEvaluations(evaluation([1, 2, null, 3]), evaluation([5, 7]), {}).labels['1'].hd95;
    expect(c).toMatchObject({ meanA: 2, meanB: 6, meanDifference: -4, n: 5, test: 'welch-t' });
  });

  it('leaves out clinical indices neither side has (RV in an LV-only dataset)', () => {
    const withClinical = (lvEf: number): EvaluationForComparison => ({
      ...evaluation([1, 2]),
      clinical: {
        subjects: ['s1', 's2', 's3'].map((subject, i) => ({
          subject,
          absError: { lvEf_pct: lvEf + i, rvEf_pct: null, myoMass_g: null },
        })),
      },
    });
    const result = compareEvaluations(withClinical(1), withClinical(3), { paired: true });
    expect(Object.keys(result.clinicalAbsError!)).toEqual(['lvEf_pct']);
    expect(result.clinicalAbsError!.lvEf_pct).toMatchObject({ meanA: 2, meanB: 4, n: 3, better: 'A' });
  });
});
