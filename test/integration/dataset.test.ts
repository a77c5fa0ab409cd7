import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeAcdcTree, makeFoldersTree, tempDir, writeFakeVolume } from '../dataset-trees.ts';
import { argv, runCli } from '../cli.ts';

const run = runCli;

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

describe('multirater dataset', () => {
  const base = tempDir('cli-dataset');
  makeAcdcTree(join(base, 'acdc'), [{ id: 'patient001', folder: 'training', ed: 1, es: 3, group: 'HCM' }]);

  it('imports a layout and checks it clean', () => {
    const out = join(base, 'acdc-out');
    const imported = run('dataset', 'import', '--layout', 'acdc', join(base, 'acdc'), '--out', out, '--json');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      schemaVersion: 1,
      file: join(out, 'dataset.json'),
      name: 'ACDC',
      cases: 2,
      raters: [],
      labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
      copied: 0,
    });
    const checked = run('dataset', 'check', out);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toBe(`ok ${join(out, 'dataset.json')}: 2 cases, 5 files\n`);
  });

  it('lists every problem and exits 1, with one summary line on stderr', () => {
    const src = join(base, 'raters');
    makeFoldersTree(src, { names: ['a', 'b'], raters: { r1: ['a', 'b'], r2: ['b'] } });
    const out = join(base, 'raters-out');
    expect(run('dataset', 'import', '--layout', 'folders', src, '--out', out, '--labels', '1=LV,2=MYO,3=RV').code).toBe(
      0,
    );
    writeFakeVolume(join(src, 'r1', 'a.nii.gz'), { shape: [6, 5, 2] });
    rmSync(join(src, 'r2', 'b.nii.gz'));
    const text = run('dataset', 'check', out);
    expect(text.code).toBe(1);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `a\tgrid_mismatch\t${join(src, 'r1', 'a.nii.gz')}: grid 6×5×2 differs from 6×5×3 of ${join(src, 'images', 'a.nii.gz')}`,
    );
    expect(lines[1]).toBe(`b\tfile_not_found\t${join(src, 'r2', 'b.nii.gz')}: no such file`);
    expect(text.stderr).toBe(`multirater: ${join(out, 'dataset.json')}: 2 problem(s) in 2 cases\n`);
    const json = run('dataset', 'check', out, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, ok: false, cases: 2 });
    expect(report.problems.map((p: { caseId: string; code: string }) => `${p.caseId}:${p.code}`)).toEqual([
      'a:grid_mismatch',
      'b:file_not_found',
    ]);
  });

  it('fails an import with one line and writes nothing', () => {
    const out = join(base, 'never');
    const missing = run('dataset', 'import', '--layout', 'qubiq', join(base, 'nope'), '--out', out);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(`multirater: ${join(base, 'nope')}: no such folder (QUBIQ source)\n`);
    const wrong = run('dataset', 'import', '--layout', 'mnms', join(base, 'acdc'), '--out', out);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    const badTask = run('dataset', 'import', '--layout', 'qubiq', join(base, 'acdc'), '--out', out, '--task', 'two');
    expect(badTask.stderr).toBe('multirater: --task: expected a whole number ≥ 1, found "two"\n');
    const badLayout = run('dataset', 'import', '--layout', 'kaggle', join(base, 'acdc'), '--out', out);
    expect(badLayout.code).not.toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(base).includes('never')).toBe(false);
  });

  it('imports a DataLad-style tree of symbolic links, naming the labels found, and the result checks clean', () => {
    // Content in an annex-like store; the dataset is links to files and one linked rater folder.
    const store = join(base, 'annex-store');
    const src = join(base, 'annexed');
    makeFoldersTree(store, { names: ['a', 'b'], raters: { alice: ['a', 'b'], bob: ['a', 'b'] } });
    for (const dir of ['images', 'alice']) {
      mkdirSync(join(src, dir), { recursive: true });
      for (const name of ['a', 'b']) symlinkSync(join(store, dir, `${name}.nii.gz`), join(src, dir, `${name}.nii.gz`));
    }
    symlinkSync(join(store, 'bob'), join(src, 'bob'));
    const out = join(base, 'annexed-out');
    const imported = run('dataset', 'import', '--layout', 'folders', src, '--out', out, '--json');
    expect(imported.stderr).toBe('');
    // Fake label maps hold i mod 4: values 1–3 besides background.
    expect(JSON.parse(imported.stdout)).toMatchObject({
      cases: 2,
      raters: ['alice', 'bob'],
      labels: { '1': 'label1', '2': 'label2', '3': 'label3' },
    });
    expect(run('dataset', 'check', out).stdout).toBe(`ok ${join(out, 'dataset.json')}: 2 cases, 6 files\n`);
  });

  it('refuses an import that would not check, with one line, and fills subject/frame from --case-pattern', () => {
    const src = join(base, 'pigs');
    makeFoldersTree(src, {
      names: ['pig1_ED', 'pig1_ES'],
      raters: { o1: ['pig1_ED', 'pig1_ES'], o2: ['pig1_ED', 'pig1_ES'] },
    });
    const out = join(base, 'pigs-out');
    const refused = run('dataset', 'import', '--layout', 'folders', src, '--out', out, '--labels', '1=LV');
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')).toHaveLength(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^multirater: ${src}: not imported, 4 problem\\(s\\) \\(--no-check to import anyway\\): .*label value\\(s\\) 2, 3 not declared in labels \\(0, 1\\)`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    const importPigs = (to: string) => argv`dataset import --layout folders ${src} --out ${to}`;
    const badPattern = run(...importPigs(out), '--case-pattern', '{subject}-{phase}');
    expect(badPattern.stderr).toBe(
      'multirater: --case-pattern "{subject}-{phase}": unknown placeholder {phase} (expected {subject} and/or {frame})\n',
    );
    const ok = run(...importPigs(out), '--labels', '1=LV,2=MYO,3=other', '--case-pattern', '{subject}_{frame}');
    expect(ok.code).toBe(0);
    const written = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'));
    expect(written.cases.map((c: { meta: object }) => c.meta)).toEqual([
      { subject: 'pig1', frame: 'ED' },
      { subject: 'pig1', frame: 'ES' },
    ]);
    const noCheck = run(...importPigs(join(base, 'pigs-unchecked')), '--labels', '1=LV', '--no-check');
    expect(noCheck.code).toBe(0);
    expect(run('dataset', 'check', join(base, 'pigs-unchecked')).code).toBe(1);
  });

  it('sets splits on import from a file (--splits) or seeded ratios (--split-ratios), refusing unknown ids and names in one line', () => {
    const src = join(base, 'split-src');
    const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
    makeFoldersTree(src, { names, raters: { r1: names } });
    const labels = ['--labels', '1=a,2=b,3=c'];
    const splits = join(base, 'splits.csv');
    writeFileSync(splits, 'case,split\nc1,train\nc2,train\nc3,val\nc4,test\n');
    const fromFile = join(base, 'split-file');
    const r = run('dataset', 'import', '--layout', 'folders', src, ...labels, '--splits', splits, '--out', fromFile);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `wrote ${join(fromFile, 'dataset.json')}: 5 cases (train 2, val 1, test 1, no split 1), raters r1\n`,
    );
    const written = JSON.parse(readFileSync(join(fromFile, 'dataset.json'), 'utf8'));
    expect(written.cases.map((c: { meta: { split?: string } }) => c.meta.split ?? null)).toEqual([
      'train',
      'train',
      'val',
      'test',
      null,
    ]);
    expect(written.source.splits).toEqual({ file: splits });
    expect(run('dataset', 'check', fromFile).code).toBe(0);

    const ratios = (out: string, seed: string) =>
      run(
        ...argv`dataset import --layout folders ${src} ${labels} --split-ratios 0.6,0.2,0.2 --seed ${seed} --out ${out} --json`,
      );
    const a = JSON.parse(ratios(join(base, 'split-a'), '7').stdout);
    expect(a.splits).toEqual({ train: 3, val: 1, test: 1, none: 0 });
    const again = ratios(join(base, 'split-b'), '7');
    expect(readFileSync(join(base, 'split-b', 'dataset.json'), 'utf8').replace(/split-b/g, 'split-a')).toBe(
      readFileSync(join(base, 'split-a', 'dataset.json'), 'utf8'),
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(join(base, 'split-a', 'dataset.json'), 'utf8')).source.splits).toEqual({
      ratios: [0.6, 0.2, 0.2],
      seed: 7,
      counts: { train: 3, val: 1, test: 1 },
    });

    const refusals: [string[], string][] = [
      [
        ['--splits', writeText(join(base, 'bad.csv'), 'case,split\nc1,train\nc9,test\n')],
        `multirater: ${join(base, 'bad.csv')}: line 3: case "c9" is not among the 5 imported cases\n`,
      ],
      [
        ['--splits', writeText(join(base, 'bad.json'), '{"c1": "validate"}')],
        `multirater: ${join(base, 'bad.json')}: key "c1": split "validate" is not one of train, val, test\n`,
      ],
      [
        ['--split-ratios', '0.7,0.2'],
        'multirater: split ratios 0.7,0.2: expected three numbers ≥ 0 (train, val, test) summing to 1\n',
      ],
      [
        ['--splits', splits, '--split-ratios', '0.6,0.2,0.2'],
        'multirater: --splits and --split-ratios: give one of them\n',
      ],
      [['--seed', '3'], 'multirater: --seed: applies to --split-ratios\n'],
    ];
    for (const [flags, message] of refusals) {
      const out = join(base, 'split-never');
      const bad = run('dataset', 'import', '--layout', 'folders', src, ...labels, ...flags, '--out', out);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('dataset check names the split found and the allowed ones', () => {
    const dir = join(base, 'bad-split');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'dataset.json'),
      JSON.stringify({
        name: 'x',
        labels: {},
        raters: [],
        cases: [{ id: 'a', raters: {}, meta: { split: 'validate' } }],
      }),
    );
    const r = run('dataset', 'check', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `a\tinvalid_dataset\t${join(dir, 'dataset.json')}: cases.0.meta.split: split "validate" is not one of train, val, test\n`,
    );
  });

  it('shows help for both commands', () => {
    const imp = run('dataset', 'import', '--help');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/--layout <layout>/);
    expect(imp.stdout).toMatch(/acdc +ACDC: /);
    const chk = run('dataset', 'check', '--help');
    expect(chk.code).toBe(0);
    expect(chk.stdout).toMatch(/--json/);
  });
});
