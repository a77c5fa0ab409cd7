import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFoldersTree, tempDir, writeFakeVolume } from '../../test/dataset-trees.ts';
import { writeScaledMask } from '../../test/scaled-mask.ts';
import { checkDataset } from './check-dataset.ts';
import { loadDataset, saveDataset, type Dataset } from './dataset.ts';

/** A folders-layout dataset written in place: images a, b; raters r1 (a, b), r2 (a); labels 1–3 declared. */
function goodDataset(): { root: string; dataset: Dataset } {
  const root = tempDir('check');
  makeFoldersTree(root, { names: ['a', 'b'], raters: { r1: ['a', 'b'], r2: ['a'] } });
  const dataset: Dataset = {
    name: 'tiny',
    labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
    raters: ['r1', 'r2'],
    cases: [
      { id: 'a', image: 'images/a.nii.gz', raters: { r1: 'r1/a.nii.gz', r2: 'r2/a.nii.gz' }, meta: {} },
      { id: 'b', image: 'images/b.nii.gz', raters: { r1: 'r1/b.nii.gz' }, meta: {} },
    ],
  };
  saveDataset(root, dataset);
  return { root, dataset };
}

describe('checkDataset', () => {
  it('refuses paths leading out of the dataset folder (../, absolute) without reading them, and meta paths to non-images; follows links', () => {
    const { root, dataset } = goodDataset();
    const outside = join(dirname(root), `${root.split('/').pop()}-secret.nii.gz`);
    copyFileSync(join(root, 'r1', 'a.nii.gz'), outside);
    symlinkSync(outside, join(root, 'link.nii.gz'));
    writeFileSync(join(root, 'notes.nii'), 'not an image\n'.repeat(40));
    const [a, b] = dataset.cases;
    a.raters.r2 = `../${outside.split('/').pop()}`;
    a.truth = outside;
    b.raters.r2 = 'link.nii.gz';
    a.meta.cine = '/etc/passwd';
    b.meta.cine = 'notes.nii';
    saveDataset(root, { ...dataset, raters: ['r1', 'r2'] });
    const problems = checkDataset(root).problems;
    // The link is followed (a DataLad dataset is links into its annex); the viewer, which serves files, refuses it.
    expect(problems.map((p) => [p.caseId, p.code])).toEqual([
      ['a', 'path_outside_root'],
      ['a', 'path_outside_root'],
      ['a', 'path_outside_root'],
      ['b', 'unsupported_format'],
    ]);
    expect(problems[0].message).toBe(`/etc/passwd: cine series of case a lies outside ${root}`);
    expect(problems[1].message).toBe(`${outside}: rater r2 of case a lies outside ${root}`);
    expect(problems[2].message).toBe(`${outside}: truth of case a lies outside ${root}`);
    expect(problems[3].message).toMatch(/notes.nii: not a NIfTI or NRRD image .*\(cine series of case b\)$/);
    // The folder named in allowRoots, or recorded as the import source, is inside.
    expect(checkDataset(root, { allowRoots: [dirname(root), '/etc'] }).problems.map((p) => p.code)).toEqual([
      'unsupported_format',
      'unsupported_format',
    ]);
    rmSync(outside);
  });

  it('accepts files in the folders its source records: the import source (source.path) and a derived copy’s original (source.roots)', () => {
    const src = tempDir('check-src');
    makeFoldersTree(src, { names: ['a'], raters: { r1: ['a'] } });
    const out = join(src, '..', `${src.split('/').pop()}-ds`);
    mkdirSync(out);
    const rel = `../${src.split('/').pop()}`;
    saveDataset(out, {
      name: 'ref',
      labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
      raters: ['r1'],
      source: { path: rel },
      cases: [{ id: 'a', image: `${rel}/images/a.nii.gz`, raters: { r1: `${rel}/r1/a.nii.gz` }, meta: {} }],
    });
    expect(checkDataset(out).problems).toEqual([]);
    saveDataset(out, { ...loadDataset(out).dataset, source: { roots: [rel] } });
    expect(checkDataset(out).problems).toEqual([]);
    saveDataset(out, { ...loadDataset(out).dataset, source: {} });
    expect(checkDataset(out).problems.map((p) => p.code)).toEqual(['path_outside_root', 'path_outside_root']);
  });

  it('reports a dataset.json of null as one problem, without a stack trace', () => {
    const root = tempDir('check-null');
    writeFileSync(join(root, 'dataset.json'), 'null\n');
    const report = checkDataset(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0].message).toMatch(/dataset.json: \(root\): /);
  });

  it('passes a consistent dataset, counting cases and distinct files', () => {
    const { root } = goodDataset();
    const report = checkDataset(root);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, dataset: join(root, 'dataset.json'), cases: 2, files: 5 });
  });

  it('accepts a BraTS-style mask (uint32 × scl_slope 2^-32 = 0.99999999977) as labels 0 and 1', () => {
    const root = tempDir('check-brats');
    writeScaledMask(join(root, 'mask.nii'), [2, 2, 1], Uint32Array.from([0, 4294967295, 4294967295, 0]));
    saveDataset(root, {
      name: 'brats',
      labels: { '1': 'brain' },
      raters: ['r1'],
      cases: [{ id: 'a', raters: { r1: 'mask.nii' }, meta: {} }],
    });
    expect(checkDataset(root).problems).toEqual([]);
  });

  it('reports a missing file with its case', () => {
    const { root } = goodDataset();
    rmSync(join(root, 'r2', 'a.nii.gz'));
    const report = checkDataset(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        caseId: 'a',
        file: join(root, 'r2', 'a.nii.gz'),
        code: 'file_not_found',
        message: `${join(root, 'r2', 'a.nii.gz')}: no such file`,
      },
    ]);
  });

  it('reports a rater whose grid differs from the image, naming both files', () => {
    const { root } = goodDataset();
    writeFakeVolume(join(root, 'r1', 'b.nii.gz'), { shape: [6, 5, 4] });
    writeFakeVolume(join(root, 'r2', 'a.nii.gz'), { spacing: [1, 1, 2.5] });
    const [grid, spacing] = checkDataset(root).problems.sort((p, q) => (p.caseId! < q.caseId! ? 1 : -1));
    expect(grid).toMatchObject({ caseId: 'b', code: 'grid_mismatch' });
    expect(grid.message).toBe(
      `${join(root, 'r1', 'b.nii.gz')}: grid 6×5×4 differs from 6×5×3 of ${join(root, 'images', 'b.nii.gz')}`,
    );
    expect(spacing).toMatchObject({ caseId: 'a', code: 'grid_mismatch' });
    expect(spacing.message).toBe(
      `${join(root, 'r2', 'a.nii.gz')}: spacing 1×1×2.5 mm differs from 1×1×1 mm of ${join(root, 'images', 'a.nii.gz')}`,
    );
  });

  it('reports label values outside the declared set', () => {
    const { root, dataset } = goodDataset();
    // The fake maps hold i mod 4 = 0…3; declaring only 1 and 2 leaves 3 undeclared in every label map.
    saveDataset(root, { ...dataset, labels: { '1': 'RV', '2': 'MYO' } });
    const report = checkDataset(root);
    expect(report.problems.map((p) => [p.caseId, p.code])).toEqual([
      ['a', 'invalid_label'],
      ['a', 'invalid_label'],
      ['b', 'invalid_label'],
    ]);
    expect(report.problems[0].message).toBe(
      `${join(root, 'r1', 'a.nii.gz')}: label value(s) 3 not declared in labels (0, 1, 2)`,
    );
  });

  it('refuses a 4D label map unless meta.timeIndex picks an existing frame', () => {
    const { root, dataset } = goodDataset();
    writeFakeVolume(join(root, 'r1', 'a.nii.gz'), { shape: [6, 5, 3, 2] });
    const r1a = join(root, 'r1', 'a.nii.gz');
    expect(checkDataset(root).problems).toEqual([
      {
        caseId: 'a',
        file: r1a,
        code: 'dimension_mismatch',
        message: `${r1a}: 4D label map (6×5×3×2), expected at most 3D (or a meta.timeIndex choosing the frame)`,
      },
    ]);
    saveDataset(root, { ...dataset, cases: [{ ...dataset.cases[0], meta: { timeIndex: 1 } }, dataset.cases[1]] });
    expect(checkDataset(root).problems).toEqual([]);
    saveDataset(root, { ...dataset, cases: [{ ...dataset.cases[0], meta: { timeIndex: 2 } }, dataset.cases[1]] });
    expect(checkDataset(root).problems.map((p) => p.message)).toEqual([
      `${r1a}: meta.timeIndex 2 is beyond its 2 frames (6×5×3×2)`,
    ]);
  });

  it('checks the label values of the chosen frame only', () => {
    const { root, dataset } = goodDataset();
    // Frame 0 (first 90 voxels) holds 0/1, frame 1 holds 7: only frame 1 breaks the declared set.
    writeFakeVolume(join(root, 'r1', 'a.nii.gz'), { shape: [6, 5, 3, 2], value: (i) => (i < 90 ? i % 2 : 7) });
    saveDataset(root, { ...dataset, cases: [{ ...dataset.cases[0], meta: { timeIndex: 0 } }, dataset.cases[1]] });
    expect(checkDataset(root).ok).toBe(true);
    saveDataset(root, { ...dataset, cases: [{ ...dataset.cases[0], meta: { timeIndex: 1 } }, dataset.cases[1]] });
    expect(checkDataset(root).problems.map((p) => p.message)).toEqual([
      `${join(root, 'r1', 'a.nii.gz')}: label value(s) 7 in frame 1 not declared in labels (0, 1, 2, 3)`,
    ]);
  });

  it('refuses label maps that are not whole numbers', () => {
    const { root } = goodDataset();
    writeFakeVolume(join(root, 'r2', 'a.nii.gz'), { dtype: 'float32', value: (i) => (i === 7 ? 0.5 : 1) });
    expect(checkDataset(root).problems).toMatchObject([
      {
        caseId: 'a',
        code: 'invalid_label',
        message: `${join(root, 'r2', 'a.nii.gz')}: label maps need whole non-negative values, found 0.5`,
      },
    ]);
  });

  it('reports unreadable files with the reader’s error and goes on with the other cases', () => {
    const { root } = goodDataset();
    writeFileSync(join(root, 'images', 'a.nii.gz'), 'not an image at all');
    rmSync(join(root, 'r1', 'b.nii.gz'));
    const problems = checkDataset(root).problems;
    expect(problems.map((p) => [p.caseId, p.code])).toEqual([
      ['a', 'invalid_nifti'],
      ['b', 'file_not_found'],
    ]);
    expect(problems[0].message.startsWith(join(root, 'images', 'a.nii.gz'))).toBe(true);
  });

  it('lists every schema problem of dataset.json with its path and case', () => {
    const root = tempDir('check-schema');
    const bad = {
      name: 'x',
      labels: { '0': 'background', '1': 'LV' },
      raters: ['r1'],
      cases: [
        { id: 'a', raters: { r9: 'r9/a.nii.gz' } },
        { id: 'b', raters: {}, meta: { frame: 'XX' } },
        { id: 'a', raters: {} },
      ],
    };
    writeFileSync(join(root, 'dataset.json'), JSON.stringify(bad));
    const file = join(root, 'dataset.json');
    const report = checkDataset(root);
    expect(report.ok).toBe(false);
    expect(report.cases).toBe(3);
    expect(report.problems.map((p) => [p.caseId, p.code, p.file])).toEqual([
      [null, 'invalid_dataset', file],
      ['b', 'invalid_dataset', file],
      ['a', 'invalid_dataset', file],
      ['a', 'invalid_dataset', file],
    ]);
    const messages = report.problems.map((p) => p.message);
    expect(messages[0]).toBe(`${file}: labels.0: label key "0" is not a positive integer`);
    expect(messages[1].startsWith(`${file}: cases.1.meta.frame: `)).toBe(true);
    expect(messages[2]).toBe(`${file}: cases.0.raters.r9: rater "r9" is not listed in "raters"`);
    expect(messages[3]).toBe(`${file}: cases.2.id: duplicate case id "a"`);
  });

  it('reports a missing or malformed dataset.json as one problem', () => {
    const root = tempDir('check-nojson');
    expect(checkDataset(root).problems).toEqual([
      {
        caseId: null,
        file: join(root, 'dataset.json'),
        code: 'file_not_found',
        message: `${join(root, 'dataset.json')}: no such file`,
      },
    ]);
    writeFileSync(join(root, 'dataset.json'), '{ "name": ');
    expect(checkDataset(root).problems).toMatchObject([{ caseId: null, code: 'invalid_dataset' }]);
  });
});
