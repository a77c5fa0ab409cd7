import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, resolveCasePath } from '../../src/datasets/dataset.ts';
import { readLabelMap } from '../../src/io/read-volume.ts';
import { confusionCounts, confusionMatrix, type ConfusionCounts } from '../../src/raters/confusion-matrix.ts';
import { runCli } from '../cli.ts';

const work = mkdtempSync(join(tmpdir(), 'multirater-simulate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI, expecting exit 0, and returns its stdout (progress on stderr is discarded). */
function run(args: string[]): { stdout: string } {
  const r = runCli(...args);
  expect(r.code, r.stderr).toBe(0);
  return { stdout: r.stdout };
}

/** Every file under `dir`, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The confusion matrices recomputed from the files the dataset names. */
function recomputedMatrices(dir: string): Record<string, unknown> {
  const { dataset, root } = loadDataset(dir);
  const labels = [0, ...Object.keys(dataset.labels).map(Number)];
  const counts = new Map<string, ConfusionCounts>();
  for (const c of dataset.cases) {
    const truth = readLabelMap(resolveCasePath(root, c.truth!));
    for (const r of dataset.raters) {
      const annotation = readLabelMap(resolveCasePath(root, c.raters[r]));
      const prev = counts.get(r);
      const next = confusionCounts(truth.data, annotation.data, labels, prev);
      if (!prev) counts.set(r, next);
    }
  }
  return Object.fromEntries(dataset.raters.map((r) => [r, confusionMatrix(counts.get(r)!)]));
}

describe('multirater simulate', () => {
  it('cardiac: same seed gives identical bytes, in this thread or on workers; the dataset validates and its confusion matrices match the files', () => {
    const a = join(work, 'cardiac-a');
    const b = join(work, 'cardiac-b');
    const summary = JSON.parse(
      run(['simulate', 'cardiac', '--out', a, '--subjects', '5', '--frames', '4', '--seed', '7', '--json']).stdout,
    );
    run([
      'simulate',
      'cardiac',
      '--out',
      b,
      '--subjects',
      '5',
      '--frames',
      '4',
      '--seed',
      '7',
      '--workers',
      '2',
      '--json',
    ]);
    expect(summary).toMatchObject({
      schemaVersion: 1,
      kind: 'cardiac',
      subjects: 5,
      cases: 10,
      raters: ['expert', 'nonexpert1', 'nonexpert2'],
    });
    expect(summary.splits).toEqual({ train: 6, val: 2, test: 2 });
    const sa = snapshot(a);
    const sb = snapshot(b);
    expect([...sa.keys()].sort()).toEqual([...sb.keys()].sort());
    for (const [k, v] of sa) expect(v.equals(sb.get(k)!), k).toBe(true);

    const { dataset, root } = loadDataset(a);
    expect(dataset.labels).toEqual({ '1': 'RV', '2': 'MYO', '3': 'LV' });
    const first = dataset.cases[0];
    expect(first.meta).toMatchObject({
      subject: 'subject001',
      frame: 'ED',
      group: 'NOR',
      vendor: 'A',
      frameIndex: 0,
      esFrame: 1,
    });
    const cine = readLabelMap(resolveCasePath(root, first.meta.cineTruth as string), { maxDims: 4 });
    expect(cine.shape).toHaveLength(4);
    expect(cine.shape[3]).toBe(4);
    expect(dataset.confusionMatrices).toEqual(recomputedMatrices(a));
  });

  it('cardiac: another seed changes the bytes, and adding subjects leaves the first subjects unchanged', () => {
    const c = join(work, 'cardiac-c');
    const d = join(work, 'cardiac-d');
    run(['simulate', 'cardiac', '--out', c, '--subjects', '2', '--frames', '4', '--seed', '7', '--raters', 'expert']);
    run(['simulate', 'cardiac', '--out', d, '--subjects', '3', '--frames', '4', '--seed', '8', '--raters', 'expert']);
    const a = snapshot(join(work, 'cardiac-a'));
    const sc = snapshot(c);
    expect(sc.get('images/subject001_ED.nii.gz')!.equals(a.get('images/subject001_ED.nii.gz')!)).toBe(true);
    expect(sc.get('raters/expert/subject002_ES.nii.gz')!.equals(a.get('raters/expert/subject002_ES.nii.gz')!)).toBe(
      true,
    );
    expect(snapshot(d).get('images/subject001_ED.nii.gz')!.equals(a.get('images/subject001_ED.nii.gz')!)).toBe(false);
  });

  it('mnist: writes the five annotators with matching confusion matrices; blank says background everywhere', () => {
    const out = join(work, 'mnist');
    const summary = JSON.parse(run(['simulate', 'mnist', '--out', out, '--count', '25', '--json']).stdout);
    expect(summary.raters).toEqual(['good', 'over', 'under', 'wrong', 'blank']);
    const { dataset } = loadDataset(out);
    expect(dataset.cases).toHaveLength(25);
    const stored = dataset.confusionMatrices as Record<string, { matrix: number[][] }>;
    expect(stored).toEqual(recomputedMatrices(out));
    expect(stored.blank.matrix[0]).toEqual([1, 1]);
    expect(stored.over.matrix[1][0]).toBeGreaterThan(stored.good.matrix[1][0]);
  });

  it('mnist --annotators harsh: over, under and wrong, no good one, thicker and thinner than the five of the seed study', () => {
    const out = join(work, 'mnist-harsh');
    const summary = JSON.parse(
      run(['simulate', 'mnist', '--out', out, '--count', '25', '--annotators', 'harsh', '--json']).stdout,
    );
    expect(summary.raters).toEqual(['over', 'under', 'wrong']);
    const { dataset } = loadDataset(out);
    expect(dataset.source).toMatchObject({ annotators: 'harsh' });
    const harsh = dataset.confusionMatrices as Record<string, { matrix: number[][] }>;
    expect(harsh).toEqual(recomputedMatrices(out));
    const morpho = loadDataset(join(work, 'mnist')).dataset.confusionMatrices as Record<string, { matrix: number[][] }>;
    // P(says digit | background) is larger for the harsh over and wrong, P(says digit | digit) smaller for under.
    expect(harsh.over.matrix[1][0]).toBeGreaterThan(morpho.over.matrix[1][0]);
    expect(harsh.wrong.matrix[1][0]).toBeGreaterThan(morpho.wrong.matrix[1][0]);
    expect(harsh.under.matrix[1][1]).toBeLessThan(morpho.under.matrix[1][1] + 0.02);
    const bad = runCli('simulate', 'mnist', '--out', join(work, 'bad-family'), '--annotators', 'kind');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('multirater: simulate mnist: --annotators must be morpho or harsh, got "kind"');
    const good = runCli(
      'simulate',
      'mnist',
      '--out',
      join(work, 'bad-family'),
      '--annotators',
      'harsh',
      '--raters',
      'good',
    );
    expect(good.stderr.trim()).toBe('multirater: simulate mnist: unknown rater(s) good (expected over, under, wrong)');
  });

  it('headneck: expert, dosimetrist, noisy-ratio raters pointing at their files, and styles on request', () => {
    const out = join(work, 'headneck');
    run(['simulate', 'headneck', '--out', out, '--subjects', '5', '--noisy-ratios', '0,0.5,1', '--experts', '2']);
    const { dataset } = loadDataset(out);
    expect(dataset.raters).toEqual(['expert', 'dosimetrist', 'style1', 'style2', 'noisy0', 'noisy50', 'noisy100']);
    const train = dataset.cases.filter((c) => c.meta.split === 'train');
    expect(train.length).toBe(3);
    expect(train.every((c) => c.raters.noisy100 === c.raters.dosimetrist && c.raters.noisy0 === c.raters.expert)).toBe(
      true,
    );
    expect(train.filter((c) => c.raters.noisy50 === c.raters.dosimetrist)).toHaveLength(2);
    expect(
      dataset.cases.filter((c) => c.meta.split !== 'train').every((c) => c.raters.noisy100 === c.raters.expert),
    ).toBe(true);
    expect(dataset.confusionMatrices).toEqual(recomputedMatrices(out));
  });

  it('rejects an unknown rater with one line naming it, and writes nothing', () => {
    const out = join(work, 'bad');
    const r = runCli('simulate', 'cardiac', '--out', out, '--raters', 'expert,guru');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'multirater: simulate cardiac: unknown rater(s) guru (expected expert, nonexpert1, nonexpert2)',
    );
    expect(() => statSync(out)).toThrow();
  });

  it("reports a worker thread's error as one line and exits 1", () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, '');
    const r = runCli(
      'simulate',
      'cardiac',
      '--out',
      join(blocker, 'out'),
      '--subjects',
      '2',
      '--frames',
      '2',
      '--workers',
      '2',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`multirater: ${join(blocker, 'out', 'cine')}: cannot create the folder (ENOTDIR)`);
  });

  it('rejects an option that does not apply to the kind', () => {
    const r = runCli('simulate', 'mnist', '--out', join(work, 'bad2'), '--subjects', '3');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('multirater: simulate mnist: --subjects applies to cardiac and headneck only');
  });
});
