import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeAcdcTree, makeFoldersTree, tempDir, writeFakeVolume } from '../dataset-trees.ts';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../bin/multirater.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
    expect(run('dataset', 'import', '--layout', 'folders', src, '--out', out, '--labels', '1=LV,2=MYO,3=RV').code).toBe(0);
    writeFakeVolume(join(src, 'r1', 'a.nii.gz'), { shape: [6, 5, 2] });
    rmSync(join(src, 'r2', 'b.nii.gz'));
    const text = run('dataset', 'check', out);
    expect(text.code).toBe(1);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`a\tgrid_mismatch\t${join(src, 'r1', 'a.nii.gz')}: grid 6×5×2 differs from 6×5×3 of ${join(src, 'images', 'a.nii.gz')}`);
    expect(lines[1]).toBe(`b\tfile_not_found\t${join(src, 'r2', 'b.nii.gz')}: no such file`);
    expect(text.stderr).toBe(`multirater: ${join(out, 'dataset.json')}: 2 problem(s) in 2 cases\n`);
    const json = run('dataset', 'check', out, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, ok: false, cases: 2 });
    expect(report.problems.map((p: { caseId: string; code: string }) => `${p.caseId}:${p.code}`)).toEqual(['a:grid_mismatch', 'b:file_not_found']);
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
