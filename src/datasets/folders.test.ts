import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeFoldersTree, tempDir, writeFakeVolume } from '../../test/dataset-trees.ts';
import { loadFolders } from './folders.ts';

describe('loadFolders', () => {
  it('matches images, rater folders and truth by file name', () => {
    const root = tempDir('folders');
    makeFoldersTree(root, {
      names: ['a', 'b'],
      raters: { alice: ['a', 'b'], bob: ['b'] },
      truth: ['a'],
      labels: { '1': 'LV', '2': 'MYO' },
    });
    const d = loadFolders(root);
    expect(d.raters).toEqual(['alice', 'bob']);
    expect(d.labels).toEqual({ '1': 'LV', '2': 'MYO' });
    expect(d.cases).toEqual([
      { id: 'a', image: 'images/a.nii.gz', raters: { alice: 'alice/a.nii.gz' }, truth: 'truth/a.nii.gz', meta: {} },
      { id: 'b', image: 'images/b.nii.gz', raters: { alice: 'alice/b.nii.gz', bob: 'bob/b.nii.gz' }, meta: {} },
    ]);
  });

  it('takes labels from the option first, else leaves them to be named from the data by the import', () => {
    const root = tempDir('folders-labels');
    makeFoldersTree(root, { names: ['a'], raters: { r1: ['a'] } });
    expect(loadFolders(root).labels).toEqual({});
    expect(loadFolders(root, { labels: { '3': 'LV' } }).labels).toEqual({ '3': 'LV' });
  });

  it('follows symbolic links to files and to folders (DataLad / git-annex trees), keeping the link names', () => {
    const store = tempDir('folders-annex-store');
    const root = tempDir('folders-annex');
    writeFakeVolume(join(store, 'objects', 'img-a'), { dtype: 'float32' });
    writeFakeVolume(join(store, 'objects', 'seg-a'));
    writeFakeVolume(join(store, 'bob', 'a.nii.gz'));
    mkdirSync(join(root, 'images'));
    mkdirSync(join(root, 'alice'));
    symlinkSync(join(store, 'objects', 'img-a'), join(root, 'images', 'a.nii.gz'));
    symlinkSync(join(store, 'objects', 'seg-a'), join(root, 'alice', 'a.nii.gz'));
    symlinkSync(join(store, 'bob'), join(root, 'bob'));
    const d = loadFolders(root);
    expect(d.raters).toEqual(['alice', 'bob']);
    expect(d.cases).toEqual([
      { id: 'a', image: 'images/a.nii.gz', raters: { alice: 'alice/a.nii.gz', bob: 'bob/a.nii.gz' }, meta: {} },
    ]);
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
