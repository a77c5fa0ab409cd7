/** `multirater audit` end to end on a tiny dataset: deterministic under its seed, one-line errors with no output. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, runCli } from '../cli.ts';
import { tempDataset } from '../temp-dataset.ts';
import { addSliceSkippingRater } from '../lazy-rater.ts';
import { writeTinyDataset } from '../tiny-segmentation-dataset.ts';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { createVolume } from '../../src/volume/volume.ts';

const run = runCli;

const { root, data } = tempDataset('audit-cli', (d) =>
  writeTinyDataset(d, { shape: [16, 16, 2], counts: { train: 4, val: 1, test: 1 } }),
);

/** `multirater audit` of `rater` on `dataset` with 2 folds of `iterations` quick iterations each, as JSON. */
const auditArgs = (dataset: string, rater: string, iterations: number, out: string) =>
  argv`audit --data ${dataset} --rater ${rater} --folds 2 --iterations ${iterations} --batch 2 --threads 1
  --min-region 1 --out ${out} --json`;

const args = (out: string) => auditArgs(data, 'expert', 3, out);

describe('multirater audit', () => {
  it('ranks every labelled case, writes audit.json, audit.csv and a regions map per case, the same under the same seed', () => {
    const a = run(...args(join(root, 'a')));
    expect(a.code, a.stderr).toBe(0);
    const first = JSON.parse(a.stdout);
    expect(first.cases.map((c: { rank: number }) => c.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(first.raters).toBeNull(); // one rater only
    expect(first.loss).toBe('ce'); // calibrated fold models by default
    for (const c of first.cases) expect(existsSync(c.regionsFile)).toBe(true);
    expect(
      readFileSync(join(root, 'a', 'audit.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(7);
    const b = run(...args(join(root, 'b')));
    expect(b.code, b.stderr).toBe(0);
    const strip = (r: { cases: { regionsFile: string }[]; seconds: number }) => ({
      ...r,
      seconds: 0,
      cases: r.cases.map((c) => ({ ...c, regionsFile: '' })),
    });
    expect(strip(JSON.parse(b.stdout))).toEqual(strip(first));
  });

  it('refuses a missing rater and fewer cases than folds with one line, writing nothing', () => {
    for (const [flags, pattern] of [
      [['--rater', 'nobody'], /rater "nobody" not found \(raters: expert\)/],
      [['--folds', '9'], /6 case\(s\) with labels cannot fill 9 folds/],
      [['--loss', 'hinge'], /unknown loss "hinge" \(known: ce, /],
    ] as const) {
      const out = join(root, `bad-${flags[0].slice(2)}`);
      const base = args(out);
      const i = base.indexOf(flags[0]);
      if (i < 0) base.push(...flags);
      else base[i + 1] = flags[1];
      const r = run(...base);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('audits a 2D dataset stored as W×H×1 NIfTI as 2D (8-connected regions), and refuses a bad grid before training', () => {
    const flat = join(root, 'flat-data');
    writeTinyDataset(flat, { shape: [16, 16, 1], counts: { train: 4, val: 1, test: 1 } });
    const flatArgs = (out: string) => auditArgs(flat, 'expert', 2, out);
    const r = run(...flatArgs(join(root, 'flat')));
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.cases).toHaveLength(6);
    for (const c of result.cases) for (const region of c.regions) expect(region.slices).toEqual([0, 0]);
    // The last case's label on another grid: refused in one line naming both files, before any fold trains.
    writeNifti(
      join(flat, 'raters', 'expert', 'case05.nii.gz'),
      createVolume([16, 15, 1], new Uint8Array(16 * 15), { spacing: [1.5, 1.5, 4] }),
    );
    const out = join(root, 'flat-bad');
    const bad = run(...flatArgs(out));
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/case05\.nii\.gz: grid 16×15×1 differs from 16×16×1 of .*images\/case05\.nii\.gz$/),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('with --reference, learns from another rater and finds the slice the audited rater leaves out in every case', () => {
    const lazyData = join(root, 'lazy-data');
    writeTinyDataset(lazyData, { shape: [16, 16, 3], counts: { train: 4, val: 1, test: 1 } });
    addSliceSkippingRater(lazyData, 'expert', 'lazy');
    const out = join(root, 'lazy');
    const base = auditArgs(lazyData, 'lazy', 30, out);
    const r = run(...base, '--reference', 'expert');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect([result.rater, result.reference]).toEqual(['lazy', 'expert']);
    expect(JSON.parse(readFileSync(join(out, 'folds', 'fold-1', 'model', 'config.json'), 'utf8')).labelSource).toBe(
      'expert',
    );
    // The square is on all three slices of every image; the lazy rater draws it on slices 0 and 1 only.
    for (const c of result.cases)
      expect([c.caseId, c.regions[0].kind, c.regions[0].slices]).toEqual([c.caseId, 'missing', [2, 2]]);
    // The out folder now holds models learned from the expert: resuming it with other settings is refused.
    const again = run(...base);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/holds an audit with other settings \(reference\)/);
  });
});
