import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  makeAcdcTree,
  makeFoldersTree,
  makeMnmsTree,
  makeNnunetTree,
  makeQubiqTree,
  tempDir,
} from '../../test/dataset-trees.ts';
import { isMultiraterError } from '../errors.ts';
import { matchCasePattern, parseCasePattern } from './case-pattern.ts';
import { checkDataset } from './check-dataset.ts';
import { loadDataset } from './dataset.ts';
import { importDataset } from './import-dataset.ts';

describe('importDataset', () => {
  it('points at the source files with paths relative to the output folder', () => {
    const base = tempDir('import-acdc');
    makeAcdcTree(join(base, 'src'), [{ id: 'patient001', folder: 'training', ed: 1, es: 3, group: 'MINF' }]);
    const result = importDataset(join(base, 'src'), { layout: 'acdc', out: join(base, 'out') });
    expect(result.file).toBe(join(base, 'out', 'dataset.json'));
    expect(result.copied).toBe(0);
    const { dataset } = loadDataset(join(base, 'out'));
    expect(dataset.cases[0].image).toBe('../src/training/patient001/patient001_frame01.nii.gz');
    expect(dataset.cases[0].meta.cine).toBe('../src/training/patient001/patient001_4d.nii.gz');
    expect(dataset.source).toEqual({ layout: 'acdc', path: '../src' });
    expect(checkDataset(join(base, 'out'))).toMatchObject({ ok: true, cases: 2, files: 5 });
  });

  it('copies the files with --copy into a self-contained folder', () => {
    const base = tempDir('import-copy');
    makeQubiqTree(join(base, 'src'), [{ folder: 'Training', name: 'case01', raters: [2] }]);
    const result = importDataset(join(base, 'src'), { layout: 'qubiq', out: join(base, 'out'), copy: true });
    expect(result.copied).toBe(3);
    expect(readdirSync(join(base, 'out', 'Training', 'case01')).sort()).toEqual([
      'image.nii.gz',
      'task01_seg01.nii.gz',
      'task01_seg02.nii.gz',
    ]);
    // Moved elsewhere, the copy still checks: nothing in it refers to the source.
    renameSync(join(base, 'out'), join(base, 'moved'));
    expect(checkDataset(join(base, 'moved'))).toMatchObject({ ok: true, cases: 1, files: 3 });
    expect(loadDataset(join(base, 'moved')).dataset.cases[0].image).toBe('Training/case01/image.nii.gz');
  });

  it('writes nothing when the source is not in the layout', () => {
    const base = tempDir('import-bad');
    makeQubiqTree(join(base, 'src'), [{ folder: 'Training', name: 'case01', raters: [2] }]);
    expect(() => importDataset(join(base, 'src'), { layout: 'acdc', out: join(base, 'out') })).toThrow(
      /no ACDC patientNNN folders/,
    );
    expect(() =>
      importDataset(join(base, 'src'), { layout: 'qubiq', out: join(base, 'out2'), copy: true, task: 4 }),
    ).toThrow(/no task04_segNN/);
    expect(readdirSync(base)).toEqual(['src']);
  });

  it('refuses --copy into a non-empty folder, leaving it untouched', () => {
    const base = tempDir('import-nonempty');
    makeFoldersTree(join(base, 'src'), { names: ['a'], raters: { r1: ['a'] } });
    mkdirSync(join(base, 'out'));
    writeFileSync(join(base, 'out', 'keep.txt'), 'x');
    try {
      importDataset(join(base, 'src'), { layout: 'folders', out: join(base, 'out'), copy: true });
      expect.unreachable();
    } catch (e) {
      expect(isMultiraterError(e, 'invalid_argument')).toBe(true);
    }
    expect(readdirSync(join(base, 'out'))).toEqual(['keep.txt']);
    expect(readdirSync(base).sort()).toEqual(['out', 'src']);
  });

  it('imports M&Ms, nnU-Net and rater folders into datasets that check clean', () => {
    const base = tempDir('import-all');
    makeMnmsTree(join(base, 'mnms'), [
      {
        code: 'A1D0Q7',
        folder: 'Training/Labeled',
        vendor: 'A',
        vendorName: 'Siemens',
        centre: 1,
        ed: 0,
        es: 3,
        pathology: 'HCM',
      },
    ]);
    makeNnunetTree(join(base, 'nnunet'), 2, { channels: 2 });
    makeFoldersTree(join(base, 'folders'), {
      names: ['a', 'b'],
      raters: { alice: ['a', 'b'], bob: ['a'] },
      truth: ['a', 'b'],
      labels: { '1': 'x', '2': 'y', '3': 'z' },
    });
    for (const layout of ['mnms', 'nnunet', 'folders'] as const) {
      const out = join(base, `${layout}-out`);
      importDataset(join(base, layout), { layout, out });
      const report = checkDataset(out);
      expect(report.problems).toEqual([]);
      expect(JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')).source.layout).toBe(layout);
    }
    // M&Ms ED and ES share the two 4D files; nnU-Net: 2 train cases × (2 channels + label) + 1 test case × 2 channels.
    expect(checkDataset(join(base, 'mnms-out')).files).toBe(2);
    expect(checkDataset(join(base, 'nnunet-out')).files).toBe(8);
    expect(existsSync(join(base, 'folders-out', 'dataset.json'))).toBe(true);
  });

  it('never overwrites a dataset.json that is not ours, such as nnU-Net’s own', () => {
    const base = tempDir('import-nnunet-foreign');
    const src = join(base, 'src');
    makeNnunetTree(src, 2);
    const out = join(base, 'out');
    mkdirSync(out);
    copyFileSync(join(src, 'dataset.json'), join(out, 'dataset.json'));
    const before = readFileSync(join(out, 'dataset.json'), 'utf8');
    expect(() => importDataset(src, { layout: 'nnunet', out })).toThrow(
      `${join(out, 'dataset.json')}: exists and is not a multirater dataset; choose another options.out folder`,
    );
    expect(readFileSync(join(out, 'dataset.json'), 'utf8')).toBe(before);
  });

  it('never writes into its source folder or a folder holding it', () => {
    const base = tempDir('import-nnunet-inplace');
    const src = join(base, 'src');
    makeNnunetTree(src, 2);
    const before = readFileSync(join(src, 'dataset.json'), 'utf8');
    expect(() => importDataset(src, { layout: 'nnunet', out: src })).toThrow(
      `${src}: options.out would write into the input ${src}; choose another output folder`,
    );
    expect(() => importDataset(src, { layout: 'nnunet', out: base })).toThrow(
      `${base}: options.out holds the input ${src}; choose a folder outside the inputs`,
    );
    expect(readFileSync(join(src, 'dataset.json'), 'utf8')).toBe(before);
    expect(existsSync(join(base, 'dataset.json'))).toBe(false);
  });

  it('replaces its own earlier import', () => {
    const base = tempDir('import-again');
    makeFoldersTree(join(base, 'src'), { names: ['a'], raters: { r1: ['a'] } });
    importDataset(join(base, 'src'), { layout: 'folders', out: join(base, 'out') });
    importDataset(join(base, 'src'), { layout: 'folders', out: join(base, 'out'), name: 'renamed' });
    expect(loadDataset(join(base, 'out')).dataset.name).toBe('renamed');
  });

  it('names the labels found in rater folders (label1…) and checks clean, unless labels are given', () => {
    const base = tempDir('import-infer');
    // Fake label maps hold i mod 4: labels 1–3 besides background.
    makeFoldersTree(join(base, 'src'), { names: ['a', 'b'], raters: { r1: ['a', 'b'], r2: ['b'] } });
    const inferred = importDataset(join(base, 'src'), { layout: 'folders', out: join(base, 'out') });
    expect(inferred.dataset.labels).toEqual({ '1': 'label1', '2': 'label2', '3': 'label3' });
    expect(checkDataset(join(base, 'out'))).toMatchObject({ ok: true, cases: 2 });
    const named = importDataset(join(base, 'src'), {
      layout: 'folders',
      out: join(base, 'out'),
      labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
    });
    expect(named.dataset.labels).toEqual({ '1': 'RV', '2': 'MYO', '3': 'LV' });
  });

  it('checks before writing: undeclared labels or a broken annex link refuse the import and write nothing', () => {
    const base = tempDir('import-checked');
    makeFoldersTree(join(base, 'src'), { names: ['a', 'b'], raters: { r1: ['a', 'b'] } });
    const out = join(base, 'out');
    expect(() => importDataset(join(base, 'src'), { layout: 'folders', out, labels: { '1': 'foreground' } })).toThrow(
      `${join(base, 'src')}: not imported, 2 problem(s) (options.check: false to import anyway): ${join(base, 'src', 'r1', 'a.nii.gz')}: label value(s) 2, 3 not declared in labels (0, 1); `,
    );
    rmSync(join(base, 'src', 'r1', 'b.nii.gz'));
    symlinkSync('../.git/annex/objects/Xk/MD5E-s1--b.nii.gz/MD5E-s1--b.nii.gz', join(base, 'src', 'r1', 'b.nii.gz'));
    expect(() => importDataset(join(base, 'src'), { layout: 'folders', out })).toThrow(
      `${join(base, 'src', 'r1', 'b.nii.gz')}: broken symbolic link to ../.git/annex/objects/Xk/MD5E-s1--b.nii.gz/MD5E-s1--b.nii.gz (git-annex content not fetched: run \`datalad get\` or \`git annex get\`)`,
    );
    expect(existsSync(out)).toBe(false);
    // --no-check writes it anyway; `dataset check` then names the same link.
    importDataset(join(base, 'src'), { layout: 'folders', out, check: false });
    expect(checkDataset(out).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('broken symbolic link to ../.git/annex/objects/'),
    ]);
  });

  it('fills meta.subject and meta.frame from --case-pattern, refusing ids that do not match', () => {
    const base = tempDir('import-pattern');
    makeFoldersTree(join(base, 'src'), {
      names: ['pig_01_ED', 'pig_01_es', 'pig_02_12'],
      raters: { o1: ['pig_01_ED', 'pig_01_es', 'pig_02_12'] },
    });
    const { dataset } = importDataset(join(base, 'src'), {
      layout: 'folders',
      out: join(base, 'out'),
      casePattern: '{subject}_{frame}',
    });
    expect(dataset.cases.map((c) => [c.id, c.meta.subject, c.meta.frame])).toEqual([
      ['pig_01_ED', 'pig_01', 'ED'],
      ['pig_01_es', 'pig_01', 'ES'],
      ['pig_02_12', 'pig_02', 12],
    ]);
    expect(() =>
      importDataset(join(base, 'src'), { layout: 'folders', out: join(base, 'out2'), casePattern: 'pig_{subject}_ED' }),
    ).toThrow(`${join(base, 'src')}: case "pig_01_es" does not match options.casePattern "pig_{subject}_ED"`);
    expect(existsSync(join(base, 'out2'))).toBe(false);
  });
});

describe('parseCasePattern', () => {
  it.each([
    ['{subject}{frame}', 'put literal text between placeholders'],
    ['{subject}_{phase}', 'unknown placeholder {phase}'],
    ['{frame}_{frame}', '{frame} appears twice'],
    ['case_{subject', 'unbalanced brace'],
    ['patient', 'has no {subject} or {frame}'],
  ])('refuses %s', (pattern, why) => {
    expect(() => parseCasePattern(pattern)).toThrow(`options.casePattern "${pattern}": ${why}`);
  });

  it('treats other characters literally and matches the whole id', () => {
    const p = parseCasePattern('sub-{subject}.frame{frame}');
    expect(matchCasePattern(p, 'sub-07.frame02', 'src')).toEqual({ subject: '07', frame: 2 });
    expect(() => matchCasePattern(p, 'sub-07xframe02', 'src')).toThrow(/does not match/);
    expect(() => matchCasePattern(p, 'sub-07.frame02b', 'src')).toThrow(/\{frame\} is ED, ES or a whole number/);
  });
});
