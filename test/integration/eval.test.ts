import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDataset, type Case } from '../../src/datasets/dataset.ts';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { pairedTTest } from '../../src/stats/t-test.ts';
import { createVolume } from '../../src/volume/volume.ts';
import { fixturePath } from '../fixtures.ts';
import { argv, runCli } from '../cli.ts';
import { mapWithCounts as labelMap } from '../label-counts.ts';

const run = runCli;

// 6×6×4 grid of 1.25 × 1.25 × 10 mm voxels: one voxel is 15.625 mm³, 64 voxels = 1 mL.
const SHAPE = [6, 6, 4];
const SPACING = [1.25, 1.25, 10];

const mapWithCounts = (counts: Record<number, number>) => labelMap(SHAPE, SPACING, counts);

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multirater-eval-'));
  // Truth per case (labels 1 RV, 2 MYO, 3 LV). s1: ED LV 16 (0.25 mL), ES LV 8 (0.125 mL); s2 the same with RV
  // and MYO as s1. Method A: s1-ES LV 4 voxels, all else exact. Method B: s1-ED LV 12 voxels, all else exact.
  const truth = {
    's1-ed': { 1: 8, 2: 20, 3: 16 },
    's1-es': { 1: 4, 2: 20, 3: 8 },
    's2-ed': { 1: 8, 2: 20, 3: 16 },
    's2-es': { 1: 4, 2: 20, 3: 8 },
    extra: { 1: 2, 3: 2 },
  } as const;
  const predA = { ...truth, 's1-es': { 1: 4, 2: 20, 3: 4 } };
  const predB = { ...truth, 's1-ed': { 1: 8, 2: 20, 3: 12 } };
  for (const [id, counts] of Object.entries(truth)) {
    writeNifti(join(dir, `${id}_gt.nii.gz`), mapWithCounts(counts));
    writeNifti(join(dir, 'predA', `${id}.nii.gz`), mapWithCounts(predA[id as keyof typeof predA]));
    writeNifti(join(dir, 'predB', `${id}.nii.gz`), mapWithCounts(predB[id as keyof typeof predB]));
  }
  const cases: Case[] = (['s1', 's2'] as const).flatMap((s) =>
    (['ED', 'ES'] as const).map((frame) => ({
      id: `${s}-${frame.toLowerCase()}`,
      raters: { r1: `${s}-${frame.toLowerCase()}_gt.nii.gz` },
      truth: `${s}-${frame.toLowerCase()}_gt.nii.gz`,
      meta: { subject: s, frame, split: 'test' as const },
    })),
  );
  cases.push({ id: 'extra', raters: { r1: 'extra_gt.nii.gz' }, truth: 'extra_gt.nii.gz', meta: { split: 'train' } });
  saveDataset(dir, { name: 'tiny-acdc', labels: { '1': 'RV', '2': 'MYO', '3': 'LV' }, raters: ['r1'], cases });
  writeNifti(join(dir, 'other-grid.nii.gz'), createVolume([5, 6, 4], new Uint8Array(120), { spacing: SPACING }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('multirater eval, pair mode', () => {
  it('prints the fixture values as JSON', () => {
    const fixtures = JSON.parse(readFileSync(fixturePath('metrics', 'expected.json'), 'utf8')) as {
      pred: string;
      ref: string;
      expected: Record<string, number | null>;
    }[];
    const fixture = fixtures.find((f) => f.expected.hd95 !== null)!;
    const r = run(
      ...argv`eval --pred ${fixturePath('metrics', fixture.pred)} --ref ${fixturePath('metrics', fixture.ref)} --json`,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.labels['1'].dice).toBeCloseTo(fixture.expected.dice as number, 9);
    expect(out.labels['1'].hd95).toBeCloseTo(fixture.expected.hd95 as number, 4);
  });

  it('gives null metrics for a requested label that is absent', () => {
    const truth = join(dir, 's1-ed_gt.nii.gz');
    const r = run(...argv`eval --pred ${truth} --ref ${truth} --labels 3,9 --json`);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.labels['3'].dice).toBe(1);
    expect(out.labels['9']).toMatchObject({ dice: 1, sensitivity: null, hd: null, hd95: null, assd: null, masd: null });
  });

  it('fails on different grids with one line naming both files and no output', () => {
    const pred = join(dir, 's1-ed_gt.nii.gz');
    const ref = join(dir, 'other-grid.nii.gz');
    const r = run('eval', '--pred', pred, '--ref', ref, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(pred);
    expect(r.stderr).toContain(ref);
  });
});

describe('multirater eval, dataset mode, and compare', () => {
  it('evaluates a split with clinical indices and writes the CSV', () => {
    const csv = join(dir, 'a.csv');
    const r = run(
      ...argv`eval --pred-dir ${join(dir, 'predA')} --data ${dir} --split test --against r1 --json --csv ${csv}`,
    );
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'a.json'), r.stdout);
    const out = JSON.parse(r.stdout);
    expect(out.cases.map((c: { caseId: string }) => c.caseId)).toEqual(['s1-ed', 's1-es', 's2-ed', 's2-es']);
    // s1-es LV: TP 4, |P| 4, |R| 8 → Dice 2/3; the other three cases are exact.
    expect(out.cases[1].labels['3'].dice).toBeCloseTo(2 / 3, 12);
    expect(out.summary.labels['3'].dice.n).toBe(4);
    expect(out.summary.labels['3'].dice.mean).toBeCloseTo((3 + 2 / 3) / 4, 12);
    // s1: reference EF = 100·(0.25 − 0.125)/0.25 = 50 %, predicted 100·(0.25 − 0.0625)/0.25 = 75 % → error 25 points.
    const s1 = out.clinical.subjects[0];
    expect(s1.subject).toBe('s1');
    expect(s1.ref.lvEf_pct).toBeCloseTo(50, 10);
    expect(s1.pred.lvEf_pct).toBeCloseTo(75, 10);
    expect(s1.error.lvEsv_mL).toBeCloseTo(-0.0625, 12);
    expect(s1.ref.myoMass_g).toBeCloseTo((20 * 15.625 * 1.05) / 1000, 12);
    // Errors over subjects 25 and 0: mean 12.5, sd √((12.5² + 12.5²)/1).
    expect(out.clinical.summary.lvEf_pct.error.mean).toBeCloseTo(12.5, 10);
    expect(out.clinical.summary.lvEf_pct.error.sd).toBeCloseTo(Math.sqrt(312.5), 10);
    expect(out.summary.regions.base['3'].n).toBe(4);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 4 * 3);
    expect(lines[0].startsWith('caseId,subject,frame,group,vendor,label,labelName,tp,fp,fn,tn,dice')).toBe(true);
  });

  it('prints a readable summary table without --json', () => {
    const r = run('eval', '--pred-dir', join(dir, 'predB'), '--data', dir, '--split', 'test');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tiny-acdc: 4 case(s) against truth, split test');
    expect(r.stdout).toMatch(/lvEf_pct/);
  });

  it('compares two evaluations with a paired t-test', () => {
    const b = run('eval', '--pred-dir', join(dir, 'predB'), '--data', dir, '--split', 'test', '--json');
    expect(b.code).toBe(0);
    writeFileSync(join(dir, 'b.json'), b.stdout);
    const r = run('compare', join(dir, 'a.json'), join(dir, 'b.json'), '--paired', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    const bb = JSON.parse(b.stdout);
    const diceA = a.cases.map((c: { labels: Record<string, { dice: number }> }) => c.labels['3'].dice);
    const diceB = bb.cases.map((c: { labels: Record<string, { dice: number }> }) => c.labels['3'].dice);
    const want = pairedTTest(diceA, diceB);
    // A's LV Dice: 1, 2/3, 1, 1; B's: 6/7 (TP 12, |P| 12, |R| 16), 1, 1, 1 → B better on the mean.
    expect(out.labels['3'].dice.meanDifference).toBeCloseTo(want.meanDifference!, 12);
    expect(out.labels['3'].dice.p).toBeCloseTo(want.p!, 12);
    expect(out.labels['3'].dice.better).toBe('B');
    expect(out.labels['3'].dice.test).toBe('paired-t');
    expect(out.clinicalAbsError.lvEf_pct.n).toBe(2);
  });

  it('refuses a paired comparison of different cases, naming the files', () => {
    const c = run('eval', '--pred-dir', join(dir, 'predB'), '--data', dir, '--json');
    writeFileSync(join(dir, 'c.json'), c.stdout);
    const r = run('compare', join(dir, 'a.json'), join(dir, 'c.json'), '--paired');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'a.json'));
    expect(r.stderr).toContain(join(dir, 'c.json'));
  });
});

describe('multirater eval on real-world datasets', () => {
  const NRRD_HEADER = [
    'NRRD0004',
    'type: uchar',
    'dimension: 3',
    'space: right-anterior-superior',
    `sizes: ${SHAPE.join(' ')}`,
    `space directions: (${SPACING[0]},0,0) (0,${SPACING[1]},0) (0,0,${SPACING[2]})`,
    'space origin: (0,0,0)',
    'encoding: raw',
    '',
    '',
  ].join('\n');

  /** A dataset of two subjects × ED/ES with the given label names; truth as in the tiny ACDC above, LV = 3. */
  function cardiacDataset(root: string, labels: Record<string, string>) {
    const counts = { ed: { 1: 8, 2: 20, 3: 16 }, es: { 1: 4, 2: 20, 3: 8 } } as const;
    const cases: Case[] = ['s1', 's2'].flatMap((s) =>
      (['ed', 'es'] as const).map((f) => {
        writeNifti(join(root, `${s}-${f}_gt.nii.gz`), mapWithCounts(counts[f]));
        return {
          id: `${s}-${f}`,
          raters: {},
          truth: `${s}-${f}_gt.nii.gz`,
          meta: { subject: s, frame: f.toUpperCase() as 'ED' | 'ES' },
        };
      }),
    );
    saveDataset(root, { name: 'animal', labels, raters: [], cases });
  }

  it('reads predictions named <case>.nii.gz, .nii or .nrrd, and refuses two or none for a case', () => {
    const root = join(dir, 'mixed');
    cardiacDataset(root, { '1': 'RV', '2': 'MYO', '3': 'LV' });
    const pred = join(root, 'pred');
    writeNifti(join(pred, 's1-ed.nii.gz'), mapWithCounts({ 1: 8, 2: 20, 3: 16 }));
    writeNifti(join(pred, 's1-es.nii'), mapWithCounts({ 1: 4, 2: 20, 3: 8 }));
    writeNifti(join(pred, 's2-ed.nii'), mapWithCounts({ 1: 8, 2: 20, 3: 16 }));
    const es = mapWithCounts({ 1: 4, 2: 20, 3: 4 }).data;
    writeFileSync(join(pred, 's2-es.nrrd'), Buffer.concat([Buffer.from(NRRD_HEADER), es]));
    const r = run('eval', '--pred-dir', pred, '--data', root, '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.cases.map((c: { pred: string }) => c.pred)).toEqual(
      ['s1-ed.nii.gz', 's1-es.nii', 's2-ed.nii', 's2-es.nrrd'].map((f) => join(pred, f)),
    );
    // s2-es LV: TP 4, |P| 4, |R| 8 → 2/3: the NRRD lies on the same grid as the NIfTI truth.
    expect(out.cases[3].labels['3'].dice).toBeCloseTo(2 / 3, 12);
    writeNifti(join(pred, 's2-es.nii.gz'), mapWithCounts({ 1: 4 }));
    const two = run('eval', '--pred-dir', pred, '--data', root);
    expect(two.code).toBe(1);
    expect(two.stderr).toBe(
      `multirater: ${join(pred, 's2-es.nii.gz')} and ${join(pred, 's2-es.nrrd')}: two predictions for case "s2-es"; keep one\n`,
    );
    rmSync(join(pred, 's2-es.nii.gz'));
    rmSync(join(pred, 's2-es.nrrd'));
    const none = run('eval', '--pred-dir', pred, '--data', root);
    expect(none.stderr).toBe(
      `multirater: ${join(pred, 's2-es.nii.gz')}: no such file, nor .nii, .nrrd: no prediction for case "s2-es"\n`,
    );
  });

  it.each([
    ['LV only', { '3': 'LV' }, ['lvEdv_mL', 'lvEsv_mL', 'lvSv_mL', 'lvEf_pct']],
    [
      'LV and myocardium',
      { '2': 'myocardium', '3': 'LV' },
      ['lvEdv_mL', 'lvEsv_mL', 'lvSv_mL', 'lvEf_pct', 'myoMass_g'],
    ],
  ])('computes the clinical indices a %s dataset allows', (_, labels, indices) => {
    const root = join(dir, `animal-${Object.keys(labels).length}`);
    cardiacDataset(root, labels);
    const pred = join(root, 'pred');
    for (const id of ['s1-ed', 's1-es', 's2-ed', 's2-es'])
      writeNifti(join(pred, `${id}.nii.gz`), mapWithCounts(id.endsWith('ed') ? { 2: 20, 3: 16 } : { 2: 20, 3: 4 }));
    const out = JSON.parse(run('eval', '--pred-dir', pred, '--data', root, '--json').stdout);
    expect(out.clinical.indices).toEqual(indices);
    // Prediction: LV 16 voxels at ED, 4 at ES (64 voxels = 1 mL). Reference LV EF = 100·(0.25 − 0.125)/0.25 = 50 %,
    // predicted 100·(0.25 − 0.0625)/0.25 = 75 %.
    expect(out.clinical.subjects[0].ref.lvEf_pct).toBeCloseTo(50, 10);
    expect(out.clinical.subjects[0].pred.lvEf_pct).toBeCloseTo(75, 10);
    expect(out.clinical.subjects[0].ref.rvEf_pct).toBeNull();
    expect(out.clinical.subjects[0].ref.myoMass_g === null).toBe(!indices.includes('myoMass_g'));
    const text = run('eval', '--pred-dir', pred, '--data', root).stdout;
    expect(text).toContain('Clinical indices, 2 subject(s)');
    expect(text).toMatch(/\nlvEf_pct +50 ± 0 +75 ± 0 /);
    expect(text).not.toContain('rvEf_pct');
    expect(text.includes('myoMass_g')).toBe(indices.includes('myoMass_g'));
  });

  it('compare --paired: mean A, mean B and A − B over the same 81 cases when A has 82 and one null', () => {
    const evaluation = (hd95: (i: number) => number | null) => ({
      cases: Array.from({ length: 82 }, (_, i) => ({ caseId: `c${i}`, labels: { '1': { dice: 0.8, hd95: hd95(i) } } })),
    });
    writeFileSync(join(dir, 'p82a.json'), JSON.stringify(evaluation((i) => (i === 0 ? null : 3 + (i % 5)))));
    writeFileSync(join(dir, 'p82b.json'), JSON.stringify(evaluation((i) => 2 + (i % 3))));
    const out = JSON.parse(run('compare', join(dir, 'p82a.json'), join(dir, 'p82b.json'), '--paired', '--json').stdout);
    const c = out.labels['1'].hd95;
    expect(c.n).toBe(81);
    expect(c.meanA - c.meanB).toBeCloseTo(c.meanDifference, 12);
    const kept = [...Array(82).keys()].slice(1);
    expect(c.meanB).toBeCloseTo(kept.reduce((s, i) => s + 2 + (i % 3), 0) / 81, 12);
    const text = run('compare', join(dir, 'p82a.json'), join(dir, 'p82b.json'), '--paired').stdout;
    expect(text).toContain('mean A, mean B and A − B over the n cases with a value in both');
    // A over cases 1–81: mean of 3 + (i mod 5) = 4.9877; B: 2 + (i mod 3) = 3 (over all 82 it would be 2.9878).
    expect(text).toMatch(/\n +1 +hd95 +4\.9877 +3 +1\.9877 +81 /);
  });
});
