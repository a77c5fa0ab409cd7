import { describe, expect, it } from 'vitest';
import { makeQubiqTree, tempDir } from '../../test/dataset-trees.ts';
import { loadQubiq } from './qubiq.ts';

describe('loadQubiq', () => {
  const root = tempDir('qubiq');
  makeQubiqTree(root, [
    { folder: 'Training', name: 'case01', raters: [3, 2] },
    { folder: 'Training', name: 'case02', raters: [3, 2] },
    { folder: 'Validation', name: 'case01', raters: [3, 1] },
  ]);

  it('takes task 1 by default, its masks as raters seg01…', () => {
    const d = loadQubiq(root);
    expect(d.name.endsWith('-task01')).toBe(true);
    expect(d.labels).toEqual({ '1': 'task01' });
    expect(d.raters).toEqual(['seg01', 'seg02', 'seg03']);
    // Two split folders → ids carry the split.
    expect(d.cases.map((c) => c.id)).toEqual(['train-case01', 'train-case02', 'val-case01']);
    expect(d.cases[0]).toEqual({
      id: 'train-case01',
      image: 'Training/case01/image.nii.gz',
      raters: {
        seg01: 'Training/case01/task01_seg01.nii.gz',
        seg02: 'Training/case01/task01_seg02.nii.gz',
        seg03: 'Training/case01/task01_seg03.nii.gz',
      },
      meta: { subject: 'case01', split: 'train' },
    });
    expect(d.cases[2].meta.split).toBe('val');
  });

  it('makes one dataset per task: task 2 has its own raters', () => {
    const d = loadQubiq(root, { task: 2, name: 'prostate-tz' });
    expect(d.name).toBe('prostate-tz');
    expect(d.raters).toEqual(['seg01', 'seg02']);
    expect(d.cases.map((c) => Object.keys(c.raters).length)).toEqual([2, 2, 1]);
    expect(d.cases[0].raters.seg02).toBe('Training/case01/task02_seg02.nii.gz');
  });

  it('lists the tasks present when the asked one is absent', () => {
    expect(() => loadQubiq(root, { task: 3 })).toThrow(/no task03_segNN files; tasks present: task01, task02/);
  });

  it('reads case folders given directly, ids unprefixed', () => {
    const flat = tempDir('qubiq-flat');
    makeQubiqTree(flat, [{ folder: 'Training', name: 'case7', raters: [2] }]);
    const d = loadQubiq(`${flat}/Training`);
    expect(d.cases.map((c) => c.id)).toEqual(['case7']);
    expect(d.cases[0].meta.split).toBeUndefined();
    expect(d.cases[0].image).toBe('case7/image.nii.gz');
  });
});
