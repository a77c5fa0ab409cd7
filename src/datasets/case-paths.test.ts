import { describe, expect, it } from 'vitest';
import { casePaths, datasetInputs, mapCasePaths } from './case-paths.ts';
import type { Case } from './dataset.ts';

const c: Case = {
  id: 'p1_ED',
  image: 'images/p1_ED.nii.gz',
  raters: { a: 'a/p1_ED.nii.gz' },
  truth: 'truth/p1_ED.nii.gz',
  meta: {
    cine: 'cine/p1.nii.gz',
    cineTruth: 'cine/p1_truth.nii.gz',
    channels: ['c0.nrrd'],
    group: 'HCM',
    roi: 'masks/roi.nii',
    note: 'seen.nii later?',
    frame: 'ED',
  },
};

describe('casePaths / mapCasePaths', () => {
  it('list and rewrite every path, meta strings naming images included, and leave other meta alone', () => {
    expect(casePaths(c).map((p) => `${p.role}${p.key ? `:${p.key}` : ''}=${p.path}`)).toEqual([
      'image=images/p1_ED.nii.gz',
      'channel:0=c0.nrrd',
      'cine=cine/p1.nii.gz',
      'meta:cineTruth=cine/p1_truth.nii.gz',
      'meta:roi=masks/roi.nii',
      'rater:a=a/p1_ED.nii.gz',
      'truth=truth/p1_ED.nii.gz',
    ]);
    const moved = mapCasePaths(c, (p) => `../src/${p}`);
    expect(moved.meta).toEqual({
      ...c.meta,
      cine: '../src/cine/p1.nii.gz',
      cineTruth: '../src/cine/p1_truth.nii.gz',
      channels: ['../src/c0.nrrd'],
      roi: '../src/masks/roi.nii',
    });
    expect(casePaths(moved).every((p) => p.path.startsWith('../src/'))).toBe(true);
  });
});

describe('datasetInputs', () => {
  it('lists the folder, dataset.json and every file the cases name once, absolute; absolute paths kept', () => {
    const shared: Case = {
      id: 'p1_ES',
      image: '/data/cine/p1_ES.nii.gz',
      raters: { a: 'a/p1_ES.nii.gz' },
      meta: { cine: 'cine/p1.nii.gz' },
    };
    const dataset = { name: 'd', labels: {}, raters: ['a'], cases: [c, shared] };
    expect(datasetInputs({ dataset, root: '/d' })).toEqual([
      '/d',
      '/d/dataset.json',
      '/d/images/p1_ED.nii.gz',
      '/d/c0.nrrd',
      '/d/cine/p1.nii.gz',
      '/d/cine/p1_truth.nii.gz',
      '/d/masks/roi.nii',
      '/d/a/p1_ED.nii.gz',
      '/d/truth/p1_ED.nii.gz',
      '/data/cine/p1_ES.nii.gz',
      '/d/a/p1_ES.nii.gz',
    ]);
  });
});
