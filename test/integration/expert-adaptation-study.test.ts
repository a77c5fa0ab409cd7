/**
 * `multirater study run expert-adaptation --preset smoke` end to end: the plan follows the seed's sub-set rule and
 * expert combinations, fine-tuning grows the base model by one expert slot on the planned images, both scratch
 * arms train on the same images (one with the iterations of pre-training + fine-tuning, one to convergence on
 * validation images), and Tables I–III and the inter-expert agreement hold values recomputed here from the jobs'
 * own outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/io/read-volume.ts';
import { pairedTTest } from '../../src/stats/t-test.ts';
import { maskDice } from '../mask-dice.ts';
import { checkedReport, finishedSmokeStudy, readJson, type PlannedJob } from '../smoke-study.ts';

const json = readJson;

describe('study expert-adaptation (smoke)', () => {
  const study = finishedSmokeStudy('expert-adaptation');
  const { jobFile } = study;

  it("plans Table I on every expert, and fine-tunings on the sub-set rule's ways with their expert combinations", () => {
    const of = (kind: string) => study.jobs.filter((j) => j.kind === kind);
    // 16 cases, 3 test, 2 validation: 11 training images, ten ways of step ⌊11/10⌋ = 1; smoke runs ways 0 and 5.
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
    // Seven single-expert models (the k = 1 base is seg01's), one 3-expert model, four models of each scratch arm.
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
    for (const method of ['scratch', 'scratch-converged'])
      expect(
        trains.filter((j) => j.tags.method === method).map((j) => [j.tags.n, j.spec.images]),
        method,
      ).toEqual([
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

  it('gives the scratch baseline the iterations of pre-training + fine-tuning, and trains the other arm to convergence', () => {
    const settings = json(join(study.out, 'study.json')).plan.settings;
    expect(settings.scratchIterations).toBe(settings.train.iterations + settings.finetune.iterations);
    const arm = (method: string) =>
      study.jobs.find((j) => j.kind === 'train' && j.tags.method === method && j.tags.n === 4 && j.tags.way === 5)!;
    const same = json(jobFile(arm('scratch').key, 'model', 'config.json'));
    expect(same.iterations).toBe(6 + 4);
    expect(json(jobFile(arm('scratch').key, 'done.json')).result.iterations).toBe(10);
    const converged = arm('scratch-converged');
    expect(json(jobFile(converged.key, 'model', 'config.json'))).toMatchObject({
      labelSource: 'seg06',
      caseIds: same.caseIds,
      iterations: 12,
      validateEvery: 2,
      earlyStoppingPatience: 2,
      selectBy: 'dice',
    });
    // It validated every 2 iterations and stopped 2 validations after its best (or at the cap).
    const log = readFileSync(jobFile(converged.key, 'model', 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const validations = log.filter((e) => e.type === 'validation');
    expect(validations.map((v) => v.iteration)).toEqual(validations.map((_, i) => 2 * (i + 1)));
    const { result } = json(jobFile(converged.key, 'done.json'));
    expect(result.iterations).toBe(Math.min(12, result.bestIteration + 2 * 2));
    // The validation images are the dataset's val split: neither training nor test images.
    const simulate = study.jobs.find((j) => j.kind === 'simulate')!;
    const cases = json(jobFile(simulate.key, 'data', 'dataset.json')).cases as {
      id: string;
      meta: { split: string };
    }[];
    expect(cases.filter((c) => c.meta.split === 'val').map((c) => c.id)).toEqual(['val-case15', 'val-case16']);
  });

  it('Tables I–III hold the means recomputed from the evaluations', () => {
    const report = checkedReport(
      study.out,
      ['table1-single-expert', 'table2-finetune-seg06', 'table3-experts-seg06', 'expert-agreement'],
      ['report.md', 'report.html', 'figures/dice-vs-images.svg', 'figures/dice-vs-experts.svg'],
    );
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
    expect(two.rows[1]['multi:dice'].mean).toBeCloseTo((multi[0] + multi[1]) / 2, 10);
    for (const method of ['scratch', 'scratch-converged']) {
      const scratch = perWay(method, 4, 0);
      expect(two.rows[1][`${method}:dice`].mean).toBeCloseTo((scratch[0] + scratch[1]) / 2, 10);
      expect(two.rows[1][`p:${method}`]).toBeCloseTo(pairedTTest(multi, scratch).p!, 10);
    }
    expect(two.title).toContain('scratch, 10 it; scratch to convergence');
    // Table III: k = 0 are the two scratch arms with n = 4, k = 1 fine-tunes seg01's model.
    expect(three.rows.map((r: { k: number; arm: string }) => [r.k, r.arm])).toEqual([
      [0, 'scratch, 10 it'],
      [0, 'scratch to convergence (≤ 12 it)'],
      [1, 'fine-tuned'],
      [3, 'fine-tuned'],
    ]);
    expect(three.rows[0].dice.mean).toBeCloseTo(two.rows[1]['scratch:dice'].mean, 10);
    expect(three.rows[1].dice.mean).toBeCloseTo(two.rows[1]['scratch-converged:dice'].mean, 10);
    const k1 = perWay('finetune', 4, 1);
    expect(three.rows[2].dice.mean).toBeCloseTo((k1[0] + k1[1]) / 2, 10);
  });

  it("reports the inter-expert agreement: each pair's Dice on the training images, and the mean over experts 1–5", () => {
    const report = json(join(study.out, 'report', 'report.json'));
    const agreement = report.tables.find((t: { id: string }) => t.id === 'expert-agreement');
    const experts = ['seg01', 'seg02', 'seg03', 'seg04', 'seg05', 'seg06', 'seg07'];
    expect(agreement.rows.map((r: { expert: string }) => r.expert)).toEqual(experts);
    // Recomputed from the dataset's files: Dice of seg02 and seg05 on each of the 11 training images.
    const simulate = study.jobs.find((j) => j.kind === 'simulate')!;
    const data = jobFile(simulate.key, 'data');
    const training = (
      json(join(data, 'dataset.json')).cases as { meta: { split: string }; raters: Record<string, string> }[]
    ).filter((c) => c.meta.split === 'train');
    expect(training).toHaveLength(11);
    const pairDice = (a: string, b: string): number[] =>
      training.map((c) => {
        const [x, y] = [a, b].map((e) => readVolume(join(data, c.raters[e])).data);
        return 100 * maskDice(x, y);
      });
    const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(agreement.rows[1].seg05.mean).toBeCloseTo(meanOf(pairDice('seg02', 'seg05')), 8);
    expect(agreement.rows[4].seg02.mean).toBeCloseTo(agreement.rows[1].seg05.mean, 12);
    expect(agreement.rows[6].seg07).toMatchObject({ mean: 100, sd: 0, n: 11 });
    // The mean over the ten pairs of experts 1–5, in the title and a footnote; the styles differ at 32 px.
    const pairs = experts.slice(0, 5).flatMap((a, i) => experts.slice(i + 1, 5).map((b) => agreement.rows[i][b].mean));
    const within = (meanOf(pairs) as number).toFixed(2);
    expect(agreement.title).toContain(`mean over seg01, seg02, seg03, seg04, seg05: ${within} %`);
    expect(agreement.footnotes[1]).toContain(`${within} %`);
    expect(Math.max(...pairs)).toBeLessThan(97);
  });
});
