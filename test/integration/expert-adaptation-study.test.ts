/**
 * `multirater study run expert-adaptation --preset smoke` end to end: the plan follows the seed's sub-set rule and
 * expert combinations, fine-tuning grows the base model by one expert slot on the planned images, the scratch
 * baseline trains on the same images, and Tables I–III hold values recomputed here from the jobs' own outputs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairedTTest } from '../../src/stats/t-test.ts';
import { finishedSmokeStudy, readJson, type PlannedJob } from '../smoke-study.ts';

const json = readJson;

describe('study expert-adaptation (smoke)', () => {
  const study = finishedSmokeStudy('expert-adaptation');
  const { jobFile } = study;

  it("plans Table I on every expert, and fine-tunings on the sub-set rule's ways with their expert combinations", () => {
    const of = (kind: string) => study.jobs.filter((j) => j.kind === kind);
    // 14 cases, 3 test: 11 training images, ten ways of step ⌊11/10⌋ = 1; smoke runs ways 0 and 5.
    // Table II: k = 3 (first combination only), n = 2, 4; Table III: k = 0, 1, 3 with n = 4 (k = 3, n = 4 shared).
    const tuned = of('finetune');
    expect(tuned.map((j) => [j.tags.k, j.tags.n, j.tags.way, j.spec.images])).toEqual([
      [3, 2, 0, [0, 1]],
      [3, 2, 5, [5, 6]],
      [3, 4, 0, [0, 1, 2, 3]],
      [3, 4, 5, [5, 6, 7, 8]],
      [1, 4, 0, [0, 1, 2, 3]],
      [1, 4, 5, [5, 6, 7, 8]],
    ]);
    expect(tuned.every((j) => j.spec.rater === 'seg06' && j.spec.mode === 'full')).toBe(true);
    // Seven single-expert models (the k = 1 base is seg01's), one 3-expert model, four scratch baselines.
    const trains = of('train');
    expect(trains.filter((j) => j.tags.k === 1).map((j) => j.tags.experts)).toEqual([
      'seg01',
      'seg02',
      'seg03',
      'seg04',
      'seg05',
      'seg06',
      'seg07',
    ]);
    expect(trains.filter((j) => j.tags.k === 3).map((j) => j.spec.experts)).toEqual([['seg01', 'seg02', 'seg03']]);
    expect(trains.filter((j) => j.tags.method === 'scratch').map((j) => [j.tags.n, j.spec.images])).toEqual([
      [2, [0, 1]],
      [2, [5, 6]],
      [4, [0, 1, 2, 3]],
      [4, [5, 6, 7, 8]],
    ]);
    expect(tuned.find((j) => j.tags.k === 1)!.needs.model).toBe(trains.find((j) => j.tags.experts === 'seg01')!.key);
  });

  it('fine-tunes with one more expert slot on the planned images, and the scratch model trains on the same ones', () => {
    const tuned = study.jobs.find(
      (j) => j.kind === 'finetune' && j.tags.k === 3 && j.tags.n === 4 && j.tags.way === 5,
    )!;
    const record = json(jobFile(tuned.key, 'model', 'finetune.json'));
    expect(record.caseIds).toEqual(['train-case06', 'train-case07', 'train-case08', 'train-case09']);
    expect(json(jobFile(tuned.key, 'model', 'config.json')).experts).toEqual(['seg01', 'seg02', 'seg03', 'seg06']);
    const scratch = study.jobs.find(
      (j) => j.kind === 'train' && j.tags.method === 'scratch' && j.tags.n === 4 && j.tags.way === 5,
    )!;
    expect(json(jobFile(scratch.key, 'model', 'config.json')).caseIds).toEqual(record.caseIds);
  });

  it('Tables I–III hold the means recomputed from the evaluations', () => {
    const report = json(join(study.out, 'report', 'report.json'));
    expect(report.tables.map((t: { id: string }) => t.id)).toEqual([
      'table1-single-expert',
      'table2-finetune-seg06',
      'table3-experts-seg06',
    ]);
    for (const f of ['report.md', 'report.html', 'figures/dice-vs-images.svg', 'figures/dice-vs-experts.svg'])
      expect(existsSync(join(study.out, 'report', f)), f).toBe(true);
    const meanDice = (j: PlannedJob): number => {
      const cases = json(jobFile(j.key, 'evaluation.json')).cases as { labels: Record<string, { dice: number }> }[];
      expect(cases).toHaveLength(3);
      return (100 * cases.reduce((s, c) => s + c.labels['1'].dice, 0)) / cases.length;
    };
    const evaluation = (match: (t: PlannedJob['tags']) => boolean) =>
      study.jobs.filter((j) => j.kind === 'evaluate' && match(j.tags));
    const [one, two, three] = report.tables;
    // Table I: seg03's model on seg07's test annotations.
    const t1 = evaluation((t) => t.method === 'single' && t.trainedOn === 'seg03' && t.testExpert === 'seg07');
    expect(t1).toHaveLength(1);
    expect(one.rows[2]['seg07:dice'].mean).toBeCloseTo(meanDice(t1[0]), 10);
    // Table II, n = 4: mean over ways 0 and 5 of each way's test mean; p of the paired test over the ways.
    const perWay = (method: string, n: number, k: number) =>
      [0, 5].map((way) =>
        meanDice(evaluation((t) => t.method === method && t.n === n && t.k === k && t.way === way)[0]),
      );
    const multi = perWay('finetune', 4, 3);
    const scratch = perWay('scratch', 4, 0);
    expect(two.rows[1]['multi:dice'].mean).toBeCloseTo((multi[0] + multi[1]) / 2, 10);
    expect(two.rows[1]['scratch:dice'].mean).toBeCloseTo((scratch[0] + scratch[1]) / 2, 10);
    expect(two.rows[1].p).toBeCloseTo(pairedTTest(multi, scratch).p!, 10);
    // Table III: k = 0 is the scratch baseline with n = 4, k = 1 fine-tunes seg01's model.
    expect(three.rows.map((r: { k: number }) => r.k)).toEqual([0, 1, 3]);
    expect(three.rows[0].dice.mean).toBeCloseTo(two.rows[1]['scratch:dice'].mean, 10);
    const k1 = perWay('finetune', 4, 1);
    expect(three.rows[1].dice.mean).toBeCloseTo((k1[0] + k1[1]) / 2, 10);
  });
});
