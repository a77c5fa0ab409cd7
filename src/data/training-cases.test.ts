import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, saveDataset, type Dataset } from '../datasets/dataset.ts';
import { isMultiraterError } from '../errors.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { createVolume } from '../volume/volume.ts';
import { loadTrainingCases } from './training-cases.ts';

let dir = '';
const spacing = [1.5, 1.5, 10];
const image = (v: number) => createVolume([4, 3, 2], new Int16Array(24).fill(v), { spacing });
const labels = (v: number) => createVolume([4, 3, 2], new Uint8Array(24).fill(v), { spacing });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multirater-train-'));
  writeNifti(join(dir, 'c1.nii.gz'), image(100));
  writeNifti(join(dir, 'c1_a.nii.gz'), labels(1));
  writeNifti(join(dir, 'c1_b.nii.gz'), labels(2));
  writeNifti(join(dir, 'c1_truth.nii.gz'), labels(3));
  writeNifti(join(dir, 'c1_fused.nii.gz'), labels(2));
  writeNifti(join(dir, 'c2.nii.gz'), image(200));
  writeNifti(join(dir, 'c2_a.nii.gz'), labels(1));
  writeNifti(join(dir, 'c3.nii.gz'), image(300));
  writeNifti(join(dir, 'c3_a.nii.gz'), createVolume([4, 3, 3], new Uint8Array(36), { spacing }));
  writeNifti(join(dir, 'digit.nii.gz'), createVolume([28, 28], new Float32Array(784).fill(0.5)));
  writeNifti(join(dir, 'digit_good.nii.gz'), createVolume([28, 28], new Uint8Array(784).fill(1)));
  const dataset: Dataset = {
    name: 'tiny',
    labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
    raters: ['a', 'b', 'fused-staple'],
    cases: [
      {
        id: 'c1',
        image: 'c1.nii.gz',
        raters: { a: 'c1_a.nii.gz', b: 'c1_b.nii.gz', 'fused-staple': 'c1_fused.nii.gz' },
        truth: 'c1_truth.nii.gz',
        meta: { split: 'train' },
      },
      { id: 'c2', image: 'c2.nii.gz', raters: { a: 'c2_a.nii.gz' }, meta: { split: 'train' } },
      { id: 'c3', image: 'c3.nii.gz', raters: { a: 'c3_a.nii.gz' }, meta: { split: 'test' } },
      { id: 'digit', image: 'digit.nii.gz', raters: { a: 'digit_good.nii.gz' }, meta: { split: 'val' } },
    ],
  };
  saveDataset(dir, dataset);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function error(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isMultiraterError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadTrainingCases', () => {
  it('pairs each train case image (as float32) with the rater’s labels (as uint8)', () => {
    const cases = loadTrainingCases(loadDataset(dir), { labelSource: 'a', splits: ['train'] });
    expect(cases.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(cases[1].image.data).toBeInstanceOf(Float32Array);
    expect(cases[1].image.data[0]).toBe(200);
    expect(cases[1].label.data).toBeInstanceOf(Uint8Array);
    expect(cases[1].label.data[5]).toBe(1);
    expect(cases[0].image.spacing).toEqual(spacing);
    expect(cases[0].meta.split).toBe('train');
  });

  it('reads the truth or a fused rater when asked', () => {
    const loaded = loadDataset(dir);
    expect(loadTrainingCases(loaded, { labelSource: 'truth', caseIds: ['c1'] })[0].label.data[0]).toBe(3);
    expect(loadTrainingCases(loaded, { labelSource: 'fused-staple', caseIds: ['c1'] })[0].label.data[0]).toBe(2);
  });

  it('loads 2D images such as MNIST digits', () => {
    const [digit] = loadTrainingCases(loadDataset(dir), { labelSource: 'a', splits: ['val'] });
    expect(digit.image.shape.slice(0, 2)).toEqual([28, 28]);
    expect(digit.label.data.length).toBe(784);
  });

  it('names the case and the rater when a case lacks that rater’s labels', () => {
    const file = join(dir, 'dataset.json');
    expect(error(() => loadTrainingCases(loadDataset(dir), { labelSource: 'b', splits: ['train'] }))).toEqual({
      code: 'missing_label',
      message: `${file}: case "c2" has no label map for "b" (it has: a)`,
    });
    expect(error(() => loadTrainingCases(loadDataset(dir), { labelSource: 'truth', splits: ['train'] }))).toEqual({
      code: 'missing_label',
      message: `${file}: case "c2" has no label map for "truth" (it has: a)`,
    });
  });

  it('refuses an unknown label source, unknown case ids and an empty selection', () => {
    const file = join(dir, 'dataset.json');
    expect(error(() => loadTrainingCases(loadDataset(dir), { labelSource: 'expert' }))).toEqual({
      code: 'invalid_argument',
      message: `${file}: label source "expert" is neither "truth" nor a listed rater (a, b, fused-staple)`,
    });
    expect(error(() => loadTrainingCases(loadDataset(dir), { labelSource: 'a', caseIds: ['zz'] })).message).toBe(
      `${file}: no case with id "zz"`,
    );
    const d = loadDataset(dir);
    expect(
      error(() =>
        loadTrainingCases(
          { ...d, dataset: { ...d.dataset, cases: d.dataset.cases.slice(0, 1) } },
          { labelSource: 'a', splits: ['test'] },
        ),
      ).message,
    ).toBe(`${file}: no cases in split test to train on`);
  });

  it('refuses a label map on another grid than its image', () => {
    const e = error(() => loadTrainingCases(loadDataset(dir), { labelSource: 'a', splits: ['test'] }));
    expect(e.code).toBe('grid_mismatch');
    expect(e.message).toBe(`${join(dir, 'c3_a.nii.gz')}: grid 4×3×3 differs from 4×3×2 of ${join(dir, 'c3.nii.gz')}`);
  });
});
