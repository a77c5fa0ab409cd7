/**
 * `multirater study run propagation --preset smoke` end to end through the built CLI: the plan's jobs, and the
 * report's tables recomputed from the jobs' own outputs (per-frame records, registered pairs, evaluations).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { smokeStudy } from '../smoke-study.ts';

let out = '';

const run = runCli;

type Cell = { mean: number | null; sd: number | null; n: number; marks?: string[] } | string | number | null;
interface Table {
  id: string;
  rows: Record<string, Cell>[];
}
const table = (id: string): Table =>
  JSON.parse(readFileSync(join(out, 'report', 'tables', `${id}.json`), 'utf8')) as Table;
const jobFolder = (prefix: string): string[] =>
  readdirSync(join(out, 'jobs'))
    .filter((k) => k.startsWith(prefix))
    .sort();
const mean = (c: Cell): number => (c as { mean: number }).mean;

beforeAll(async () => {
  out = await smokeStudy('propagation');
}, 300_000);

describe('propagation study (smoke)', () => {
  it('plans two phantoms, two learned models, four propagations, the ED→ES check and two arms', () => {
    const r = run('study', 'plan', 'propagation', '--preset', 'smoke');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/propagation --preset smoke: 20 jobs/);
    const kinds = [...r.stdout.matchAll(/^([a-z-]+)-[0-9a-f]{12}\s/gm)].map((m) => m[1]);
    const count = (k: string) => kinds.filter((x) => x === k).length;
    expect([
      count('simulate'),
      count('register'),
      count('propagate'),
      count('register-pairs'),
      count('train'),
      count('predict'),
      count('evaluate'),
      count('aggregate'),
    ]).toEqual([2, 2, 4, 1, 2, 4, 4, 1]);
    expect(jobFolder('').length).toBe(20);
  });

  it("Table 2 holds each method's per-frame Dice against the cine truth, as its propagate job recorded it", () => {
    const rows = table('table2-propagation-by-frame').rows;
    expect(rows.map((r) => `${r.method}:${r.structure}`)).toEqual(
      ['identity', 'demons', 'learned', 'learned-seg'].flatMap((m) => ['LV', 'MYO', 'RV'].map((s) => `${m}:${s}`)),
    );
    for (const key of jobFolder('propagate-')) {
      const done = JSON.parse(readFileSync(join(out, 'jobs', key, 'done.json'), 'utf8'));
      const method = JSON.parse(readFileSync(join(out, 'jobs', key, 'spec.json'), 'utf8')).spec.method as string;
      if (method !== 'identity' && method !== 'demons') continue;
      const frames = JSON.parse(readFileSync(join(out, 'jobs', key, done.result.frames), 'utf8')) as {
        frameIndex: number;
        sourceFrame: number;
        truthDice: Record<string, number | null>;
      }[];
      const unlabelled = frames.filter((f) => f.frameIndex !== f.sourceFrame).map((f) => f.truthDice.LV as number);
      const row = rows.find((r) => r.method === method && r.structure === 'LV')!;
      expect(mean(row.unlabelled)).toBeCloseTo(unlabelled.reduce((a, b) => a + b, 0) / unlabelled.length, 10);
      // Labelled frames keep the expert's labels whatever the method.
      expect(frames.filter((f) => f.frameIndex === f.sourceFrame).length).toBe(frames.length - unlabelled.length);
    }
    const unlabelled = (m: string) => mean(rows.find((r) => r.method === m && r.structure === 'MYO')!.unlabelled);
    expect(unlabelled('demons')).toBeGreaterThan(unlabelled('identity'));
  });

  it('Table 4 scores ED→ES on mid-ventricular slices per method; demons beat copying the ED labels', () => {
    const rows = table('table4-ed-to-es').rows;
    expect(rows.map((r) => r.method)).toEqual([
      'identity (ED labels copied)',
      'our diffeomorphic demons',
      'learned (NCC)',
      'learned (NCC + 0.01 Dice)',
    ]);
    const pairs = rows[0].pairs as number;
    expect(pairs).toBeGreaterThan(0);
    expect(rows.every((r) => r.pairs === pairs && r.maxFolding === 0)).toBe(true);
    expect(mean(rows[1].LV)).toBeGreaterThan(mean(rows[0].LV));
    expect(mean(rows[1].MYO)).toBeGreaterThan(mean(rows[0].MYO));
  });

  it('Table 1 has one row per vendor and arm, tested against ED/ES only over the same cases', () => {
    const rows = table('table1-dice-by-vendor').rows;
    const vendors = [...new Set(rows.map((r) => r.vendor))];
    expect(vendors[vendors.length - 1]).toBe('total');
    expect(rows.length).toBe(vendors.length * 2);
    const records = JSON.parse(readFileSync(join(out, 'jobs', jobFolder('aggregate-')[0], 'records.json'), 'utf8')) as {
      cases: { tags: { arm: string }; metrics: Record<string, { dice: number | null }> }[];
    };
    const baseline = records.cases.filter((c) => c.tags.arm === 'ED/ES');
    const total = rows.find((r) => r.vendor === 'total' && r.arm === 'ED/ES')!;
    expect((total.LV as { n: number }).n).toBe(baseline.length);
    expect(mean(total.LV)).toBeCloseTo(
      baseline.reduce((a, c) => a + (c.metrics.LV.dice as number), 0) / baseline.length,
      10,
    );
    const tests = table('tests').rows;
    expect(tests.length).toBe(vendors.length * 4);
    expect(tests.every((t) => t.arm === 'ED/ES + demons')).toBe(true);
  });
});
