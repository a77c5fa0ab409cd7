import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, resolveCasePath } from '../../src/datasets/dataset.ts';
import { readNifti } from '../../src/io/read-nifti.ts';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { createVolume } from '../../src/volume/volume.ts';
import { fixturePath } from '../fixtures.ts';
import { fusionCases } from '../fusion-cases.ts';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../bin/multirater.js');
const work = mkdtempSync(join(tmpdir(), 'multirater-fuse-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'fuse', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
    ['raters on different grids', [raterFiles[0], fixturePath('fusion', fusionCases()[1].raters[0])], /grid .* differs from .* of /],
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
      { id: 'case b', raters: Object.fromEntries(set.raters.slice(0, secondCaseRaters).map((f, i) => [`r${i + 1}`, `labels/${f}`])), meta: {} },
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
    for (const c of dataset.cases) for (const p of Object.values(c.raters)) expect(existsSync(resolveCasePath(root, p))).toBe(true);
    expect(JSON.parse(r.stdout).cases.map((c: { raters: unknown[] }) => c.raters.length)).toEqual([set.raters.length, 2]);
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
