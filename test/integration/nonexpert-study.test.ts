/**
 * `multirater study run nonexpert --preset smoke` (the shared smoke run): the random-error arm (issue 28 §4) is
 * trained with both losses and evaluated on both test sets, and the noise type × loss tables are recomputed from
 * the report's own Tables 1–3 (one model: each gap is a difference of two rows' mean Dice over the same cases).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { smokeStudy } from '../smoke-study.ts';

type Cell = { mean: number | null; sd: number | null; n: number } | string | number | null;
interface Table {
  id: string;
  rows: Record<string, Cell>[];
}
interface Report {
  notes: string[];
  tables: Table[];
}

let report: Report;
let plan: { jobs: { kind: string; spec: Record<string, unknown>; tags: Record<string, string | number> }[] };
const table = (id: string): Table => report.tables.find((t) => t.id === id)!;
const mean = (c: Cell): number => (c as { mean: number }).mean;
const STRUCTURES = [
  ['LV', 'table1-lv'],
  ['MYO', 'table2-myo'],
  ['RV', 'table3-rv'],
] as const;
const TEST_SETS = ['in-domain', 'shifted'];

/** Mean Dice of one row of a structure table. */
function dice(tableId: string, testSet: string, rater: string, loss: string): number {
  const row = table(tableId).rows.find(
    (r) => r.model === 'unet2d' && r.testSet === testSet && r.rater === rater && r.loss === loss,
  );
  expect(row, `${tableId} ${testSet} ${rater} ${loss}`).toBeDefined();
  return mean(row!.dice);
}

beforeAll(async () => {
  const out = await smokeStudy('nonexpert');
  report = JSON.parse(readFileSync(join(out, 'report', 'report.json'), 'utf8')) as Report;
  plan = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')).plan;
}, 300_000);

describe('nonexpert study (smoke): noise type × loss', () => {
  it('trains the random-error rater with both losses on the in-domain phantom that draws it', () => {
    const sim = plan.jobs.find((j) => j.kind === 'simulate' && j.tags.testSet === 'in-domain')!;
    expect(sim.spec.raters).toEqual(['expert', 'nonexpert1', 'nonexpert1-random']);
    const trainings = plan.jobs.filter((j) => j.kind === 'train').map((j) => `${j.spec.labelSource} ${j.spec.loss}`);
    expect(trainings).toEqual([
      'expert ce+dice',
      'nonexpert1 ce+dice',
      'nonexpert1 mae+dice',
      'nonexpert1-random ce+dice',
      'nonexpert1-random mae+dice',
    ]);
    const evaluated = plan.jobs.filter((j) => j.kind === 'evaluate' && j.tags.rater === 'nonexpert1-random');
    expect(evaluated.map((j) => `${j.tags.loss} ${j.tags.testSet}`).sort()).toEqual([
      'ce+dice in-domain',
      'ce+dice shifted',
      'mae+dice in-domain',
      'mae+dice shifted',
    ]);
  });

  it("Table 4's rows are noise type × loss and its cells each arm's Dice minus the expert-trained model's", () => {
    const t = table('noise-by-loss');
    expect(t.rows.map((r) => `${r.noise} ${r.rater} ${r.loss}`)).toEqual([
      'systematic nonexpert1 CE+Dice',
      'systematic nonexpert1 MAE+Dice',
      'random nonexpert1-random CE+Dice',
      'random nonexpert1-random MAE+Dice',
    ]);
    for (const row of t.rows)
      for (const testSet of TEST_SETS)
        for (const [structure, id] of STRUCTURES) {
          const cell = row[`${testSet}:${structure}`] as { mean: number; n: number };
          expect(cell.n).toBe(1);
          const expected =
            dice(id, testSet, String(row.rater), String(row.loss)) - dice(id, testSet, 'expert', 'CE+Dice');
          expect(cell.mean, `${row.rater} ${row.loss} ${testSet} ${structure}`).toBeCloseTo(expected, 9);
        }
  });

  it("Table 5 separates the loss's effect, the noise type's and their interaction from Table 4's gaps", () => {
    const gaps = table('noise-by-loss').rows;
    const gap = (rater: string, loss: string, key: string): number =>
      mean(gaps.find((r) => r.rater === rater && r.loss === loss)![key]);
    const effects = table('noise-loss-effects').rows;
    expect(effects.map((r) => `${r.effect} | ${r.within}`)).toEqual([
      'loss: MAE+Dice − CE+Dice | systematic (nonexpert1)',
      'loss: MAE+Dice − CE+Dice | random (nonexpert1-random)',
      'noise type: random − systematic | CE+Dice',
      'noise type: random − systematic | MAE+Dice',
      'interaction: loss effect (random) − loss effect (systematic) | ',
    ]);
    for (const testSet of TEST_SETS)
      for (const [structure] of STRUCTURES) {
        const key = `${testSet}:${structure}`;
        const lossSys = gap('nonexpert1', 'MAE+Dice', key) - gap('nonexpert1', 'CE+Dice', key);
        const lossRnd = gap('nonexpert1-random', 'MAE+Dice', key) - gap('nonexpert1-random', 'CE+Dice', key);
        const expected = [
          lossSys,
          lossRnd,
          gap('nonexpert1-random', 'CE+Dice', key) - gap('nonexpert1', 'CE+Dice', key),
          gap('nonexpert1-random', 'MAE+Dice', key) - gap('nonexpert1', 'MAE+Dice', key),
          lossRnd - lossSys,
        ];
        expected.forEach((v, i) => expect(mean(effects[i][key]), `${effects[i].effect} ${key}`).toBeCloseTo(v, 9));
      }
  });

  it("the note says whether MAE+Dice narrows the gap for each noise type, from Table 4's means", () => {
    const rows = table('noise-by-loss').rows;
    const keys = TEST_SETS.flatMap((t) => STRUCTURES.map(([s]) => `${t}:${s}`));
    const note = report.notes.find((n) => n.startsWith('Noise type × loss'));
    expect(note).toBeDefined();
    for (const [rater, noise] of [
      ['nonexpert1-random', 'random'],
      ['nonexpert1', 'systematic'],
    ]) {
      const abs = (loss: string) =>
        keys.map((k) => Math.abs(mean(rows.find((r) => r.rater === rater && r.loss === loss)![k])));
      const [ce, mae] = [abs('CE+Dice'), abs('MAE+Dice')];
      const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const narrower = keys.filter((_, i) => mae[i] < ce[i]).length;
      const verdict = avg(mae) < avg(ce) ? 'narrows' : 'does not narrow';
      expect(note).toContain(
        `with ${noise} errors (${rater}) MAE+Dice ${verdict} the gap: its |ΔDice| is the smaller in ${narrower} of 6 cells, mean |ΔDice| ${avg(ce).toFixed(3)} with CE+Dice and ${avg(mae).toFixed(3)} with MAE+Dice`,
      );
    }
  });
});
