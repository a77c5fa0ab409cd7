import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDataset } from '../datasets/dataset.ts';
import { isMultiraterError } from '../errors.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { welchTTest } from '../stats/t-test.ts';
import { createVolume } from '../volume/volume.ts';
import { compareEvaluations } from './compare-evaluations.ts';
import { evaluateDataset } from './evaluate-dataset.ts';

let dir: string;

/** 1D-like 8×1×1 map with label 1 on voxels [0, n). */
function strip(n: number) {
  const data = new Uint8Array(8);
  data.fill(1, 0, n);
  return createVolume([8, 1, 1], data, { spacing: [1, 1, 1] });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multirater-evaluate-dataset-'));
  // Truth: 4 voxels in every case; rater r1: 2 voxels. Predictions: case a 4 voxels, case b 3 voxels.
  for (const id of ['a', 'b']) {
    writeNifti(join(dir, `${id}_gt.nii.gz`), strip(4));
    writeNifti(join(dir, `${id}_r1.nii.gz`), strip(2));
  }
  writeNifti(join(dir, 'pred', 'a.nii.gz'), strip(4));
  writeNifti(join(dir, 'pred', 'b.nii.gz'), strip(3));
  saveDataset(dir, {
    name: 'strips',
    labels: { '1': 'organ' },
    raters: ['r1'],
    cases: ['a', 'b'].map((id) => ({ id, raters: { r1: `${id}_r1.nii.gz` }, truth: `${id}_gt.nii.gz`, meta: {} })),
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evaluateDataset', () => {
  it('evaluates against the truth or a rater, without a clinical block for non-cardiac labels', () => {
    const truth = evaluateDataset({ predDir: join(dir, 'pred'), data: dir });
    // b: TP 3, |P| 3, |R| 4 → Dice 6/7.
    expect(truth.cases.map((c) => c.labels['1'].dice)).toEqual([1, 6 / 7]);
    expect(truth.clinical).toBeNull();
    expect(truth.summary.regions).toBeNull();
    expect(truth.labelNames).toEqual({ '1': 'organ' });
    // Against r1 (2 voxels): a → 2·2/6, b → 2·2/5.
    const r1 = evaluateDataset({ predDir: join(dir, 'pred'), data: dir, against: 'r1' });
    expect(r1.cases.map((c) => c.labels['1'].dice)).toEqual([4 / 6, 4 / 5]);
    expect(r1.summary.labels['1'].dice.mean).toBeCloseTo((4 / 6 + 4 / 5) / 2, 12);
  });

  it('names the missing prediction file, the unknown rater and the empty split', () => {
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return null;
    };
    const missing = fail(() => evaluateDataset({ predDir: join(dir, 'nowhere'), data: dir }));
    expect(isMultiraterError(missing, 'file_not_found')).toBe(true);
    expect((missing as Error).message).toContain(join(dir, 'nowhere', 'a.nii.gz'));
    expect(
      (fail(() => evaluateDataset({ predDir: join(dir, 'pred'), data: dir, against: 'r9' })) as Error).message,
    ).toMatch(/no rater "r9"/);
    expect(
      (fail(() => evaluateDataset({ predDir: join(dir, 'pred'), data: dir, split: 'val' })) as Error).message,
    ).toMatch(/no cases in split "val"/);
  });
});

describe('compareEvaluations', () => {
  it('uses Welch without --paired and marks the better mean by the metric direction', () => {
    const a = evaluateDataset({ predDir: join(dir, 'pred'), data: dir });
    const b = evaluateDataset({ predDir: join(dir, 'pred'), data: dir, against: 'r1' });
    const c = compareEvaluations(a, b);
    const want = welchTTest([1, 6 / 7], [4 / 6, 4 / 5]);
    expect(c.labels['1'].dice).toMatchObject({ test: 'welch-t', n: 4, better: 'A' });
    expect(c.labels['1'].dice.p).toBeCloseTo(want.p!, 12);
    // FDR is lower-is-better: A has 0 and 0, B has 2/4 and 1/3 → A better.
    expect(c.labels['1'].fdr.better).toBe('A');
    expect(c.labels['1']).not.toHaveProperty('volumePred_mm3');
  });

  it('uses the Wilcoxon signed-rank test on request, paired only', () => {
    const a = evaluateDataset({ predDir: join(dir, 'pred'), data: dir });
    const b = evaluateDataset({ predDir: join(dir, 'pred'), data: dir, against: 'r1' });
    // Dice differences 1 − 4/6 and 6/7 − 4/5, both positive: exact p = 2·P(W ≤ 0) = 2/2² = 0.5.
    expect(compareEvaluations(a, b, { paired: true, test: 'wilcoxon' }).labels['1'].dice).toMatchObject({
      test: 'wilcoxon',
      p: 0.5,
    });
    expect(() => compareEvaluations(a, b, { test: 'wilcoxon' })).toThrow(/needs paired/);
  });
});
