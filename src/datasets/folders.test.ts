import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeFoldersTree, tempDir, writeFakeVolume } from '../../test/dataset-trees.ts';
import { loadFolders } from './folders.ts';

describe('loadFolders', () => {
  it('matches images, rater folders and truth by file name', () => {
    const root = tempDir('folders');
    makeFoldersTree(root, { names: ['a', 'b'], raters: { alice: ['a', 'b'], bob: ['b'] }, truth: ['a'], labels: { '1': 'LV', '2': 'MYO' } });
    const d = loadFolders(root);
    expect(d.raters).toEqual(['alice', 'bob']);
    expect(d.labels).toEqual({ '1': 'LV', '2': 'MYO' });
    expect(d.cases).toEqual([
      { id: 'a', image: 'images/a.nii.gz', raters: { alice: 'alice/a.nii.gz' }, truth: 'truth/a.nii.gz', meta: {} },
      { id: 'b', image: 'images/b.nii.gz', raters: { alice: 'alice/b.nii.gz', bob: 'bob/b.nii.gz' }, meta: {} },
    ]);
  });

  it('takes labels from the option first, else defaults to one foreground label', () => {
    const root = tempDir('folders-labels');
    makeFoldersTree(root, { names: ['a'], raters: { r1: ['a'] } });
    expect(loadFolders(root).labels).toEqual({ '1': 'foreground' });
    expect(loadFolders(root, { labels: { '3': 'LV' } }).labels).toEqual({ '3': 'LV' });
  });

  it('refuses a rater file without its image, naming both places', () => {
    const root = tempDir('folders-orphan');
    makeFoldersTree(root, { names: ['a'], raters: { r1: ['a'] } });
    writeFakeVolume(join(root, 'r1', 'zz.nii.gz'));
    expect(() => loadFolders(root)).toThrow(`${join(root, 'r1', 'zz.nii.gz')}: no image zz in ${join(root, 'images')}`);
  });

  it('refuses a bad labels.json with the zod path', () => {
    const root = tempDir('folders-badlabels');
    makeFoldersTree(root, { names: ['a'], raters: { r1: ['a'] }, labels: { '0': 'background' } });
    expect(() => loadFolders(root)).toThrow(/labels\.json: 0: label key "0" is not a positive integer/);
  });
});
