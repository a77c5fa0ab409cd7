import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, resolveCasePath } from '../../src/datasets/dataset.ts';
import { readNifti } from '../../src/io/read-nifti.ts';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { createVolume } from '../../src/volume/volume.ts';
import { fixturePath } from '../fixtures.ts';
import { fusionCases } from '../fusion-cases.ts';
import { argv, runCli } from '../cli.ts';

const work = mkdtempSync(join(tmpdir(), 'multirater-fuse-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) => runCli('fuse', ...args);

const set = fusionCases().find((c) => c.itkStaple)!;
const raterFiles = set.raters.map((f) => fixturePath('fusion', f));

describe('multirater fuse', () => {
  it('writes labels and probability and prints the raters’ rates as JSON', () => {
    const out = join(work, 'staple.nii.gz');
    const prob = join(work, 'staple-prob.nii.gz');
    const r = run('--method', 'staple', '--out', out, '--prob', prob, '--json', ...raterFiles);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.method).toBe('staple');
    expect(report.converged).toBe(true);
    report.raters.forEach((rater: { file: string; sensitivity: number }, i: number) => {
      expect(rater.file).toBe(raterFiles[i]);
      expect(Math.abs(rater.sensitivity - set.itkStaple!.sensitivity[i])).toBeLessThanOrEqual(0.005);
    });
    expect(readNifti(prob).volume.dtype).toBe('float32');
    expect(readNifti(out).volume.shape).toEqual(readNifti(raterFiles[0]).volume.shape);
  });

  it.each([
    ['a single rater', [raterFiles[0]], /at least 2 raters, got 1/],
    [
      'raters on different grids',
      [raterFiles[0], fixturePath('fusion', fusionCases()[1].raters[0])],
      /grid .* differs from .* of /,
    ],
  ])('refuses %s with exit 1 and writes nothing', (_, files, message) => {
    const out = join(work, 'refused.nii.gz');
    const r = run('--method', 'majority', '--out', out, ...files);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('names both files when grids differ', () => {
    const other = fixturePath('fusion', fusionCases()[1].raters[0]);
    const r = run('--method', 'staple', '--out', join(work, 'x.nii.gz'), raterFiles[0], other);
    expect(r.stderr).toContain(other);
    expect(r.stderr).toContain(raterFiles[0]);
  });

  it('refuses non-integer labels, naming the file', () => {
    const soft = join(work, 'soft.nii.gz');
    writeNifti(soft, createVolume([2, 2], Float32Array.from([0, 0.5, 1, 1])));
    const hard = join(work, 'hard.nii.gz');
    writeNifti(hard, createVolume([2, 2], Uint8Array.from([0, 1, 1, 1])));
    const out = join(work, 'soft-out.nii.gz');
    const r = run('--method', 'mean', '--out', out, hard, soft);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/soft\.nii\.gz: label maps need whole/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --prob for a method without a probability map', () => {
    const out = join(work, 'vote.nii.gz');
    const r = run('--method', 'majority', '--out', out, '--prob', join(work, 'vote-prob.nii.gz'), ...raterFiles);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no probability map/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('multirater fuse --data', () => {
  // Two cases: one with all raters, one with a subset of two.
  const data = join(work, 'dataset');
  const makeDataset = (secondCaseRaters: number) => {
    rmSync(data, { recursive: true, force: true });
    const cases = [
      { id: 'case-a', raters: Object.fromEntries(set.raters.map((f, i) => [`r${i + 1}`, `labels/${f}`])), meta: {} },
      {
        id: 'case b',
        raters: Object.fromEntries(set.raters.slice(0, secondCaseRaters).map((f, i) => [`r${i + 1}`, `labels/${f}`])),
        meta: {},
      },
    ];
    const dir = join(data, 'labels');
    mkdirSync(dir, { recursive: true });
    for (const f of set.raters) copyFileSync(fixturePath('fusion', f), join(dir, f));
    const dataset = { name: 'tiny', labels: { '1': 'object' }, raters: set.raters.map((_, i) => `r${i + 1}`), cases };
    writeFileSync(join(data, 'dataset.json'), JSON.stringify(dataset));
  };

  it('adds fused-<method> as a rater in a copy of dataset.json whose paths all resolve', () => {
    makeDataset(2);
    const outDir = join(work, 'fused');
    const r = run('--method', 'majority', '--data', data, '--out-dir', outDir, '--json');
    expect(r.code).toBe(0);
    const { dataset, root } = loadDataset(outDir);
    expect(dataset.raters).toContain('fused-majority');
    for (const c of dataset.cases)
      for (const p of Object.values(c.raters)) expect(existsSync(resolveCasePath(root, p))).toBe(true);
    expect(JSON.parse(r.stdout).cases.map((c: { raters: unknown[] }) => c.raters.length)).toEqual([
      set.raters.length,
      2,
    ]);
  });

  it('leaves no output folder when a case cannot be fused', () => {
    makeDataset(1);
    const outDir = join(work, 'fused-bad');
    const r = run('--method', 'staple', '--data', data, '--out-dir', outDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/case "case b": label fusion needs at least 2 raters, got 1/);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('fuse-'))).toEqual([]);
  });
});

describe('multirater fuse --data on real-world shapes of data', () => {
  it('rebases every meta path (cine, cineTruth) so the written dataset passes `dataset check`', () => {
    const sim = join(work, 'sim');
    const simulated = runCli(...argv`simulate cardiac --out ${sim} --subjects 1 --frames 4 --size 32 --workers 0`);
    expect(simulated.code, simulated.stderr).toBe(0);
    const outDir = join(work, 'sim-fused');
    expect(run('--method', 'majority', '--data', sim, '--out-dir', outDir).code).toBe(0);
    const check = runCli('dataset', 'check', outDir);
    expect(check.stdout).toMatch(/^ok /);
    expect(check.code).toBe(0);
    const { dataset, root } = loadDataset(outDir);
    for (const key of ['cine', 'cineTruth'] as const)
      expect(existsSync(resolveCasePath(root, dataset.cases[0].meta[key] as string))).toBe(true);
  });

  it('gives a case empty in every rater the empty fusion, null rates and one warning line, and fuses the rest', () => {
    const data = join(work, 'with-empty');
    const shape = [4, 4, 2];
    const map = (fg: number[]) =>
      createVolume(
        shape,
        Uint8Array.from({ length: 32 }, (_, i) => (fg.includes(i) ? 1 : 0)),
      );
    const files: Record<string, number[]> = {
      'a-r1': [0, 1, 2, 5],
      'a-r2': [0, 1, 2],
      'a-r3': [1, 2, 5, 6],
      'b-r1': [],
      'b-r2': [],
      'b-r3': [],
    };
    mkdirSync(data, { recursive: true });
    for (const [name, fg] of Object.entries(files)) writeNifti(join(data, `${name}.nii.gz`), map(fg));
    const cases = ['a', 'b'].map((id) => ({
      id,
      raters: Object.fromEntries(['r1', 'r2', 'r3'].map((r) => [r, `${id}-${r}.nii.gz`])),
      meta: {},
    }));
    writeFileSync(
      join(data, 'dataset.json'),
      JSON.stringify({ name: 'with-empty', labels: { '1': 'organ' }, raters: ['r1', 'r2', 'r3'], cases }),
    );
    const outDir = join(work, 'with-empty-fused');
    const r = run('--method', 'staple', '--data', data, '--out-dir', outDir, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'multirater: warning: case "b": foreground empty in all 3 raters; fused map left empty, sensitivity/specificity null\n',
    );
    const report = JSON.parse(r.stdout);
    expect(report.cases.map((c: { empty: boolean }) => c.empty)).toEqual([false, true]);
    expect(report.cases[0].raters[0].sensitivity).toBeGreaterThan(0);
    expect(
      report.cases[1].raters.map((x: { sensitivity: null; specificity: null }) => [x.sensitivity, x.specificity]),
    ).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    const fused = readNifti(join(outDir, 'fused-staple', 'b.nii.gz')).volume;
    expect(fused.shape).toEqual(shape);
    expect(fused.data.every((v) => v === 0)).toBe(true);
  });
});
