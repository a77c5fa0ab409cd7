/**
 * `multirater study run noisy-ratio --preset smoke` end to end: one arm per ratio and draw training on its mixed
 * rater, the checkpoint of the lowest validation loss kept, and Tables 1–2 holding values recomputed here from the
 * evaluate jobs' own outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedReport, finishedSmokeStudy, readJson } from '../smoke-study.ts';

const json = readJson;

describe('study noisy-ratio (smoke)', () => {
  const study = finishedSmokeStudy('noisy-ratio');
  const { jobFile } = study;

  it('trains one HighRes3DNet per ratio on its mixed rater, whose noisy cases are the planned fraction of the training set', () => {
    const trains = study.jobs.filter((j) => j.kind === 'train');
    expect(trains.map((j) => [j.tags.ratio, j.spec.labelSource, j.spec.model])).toEqual([
      [0, 'noisy0', 'highres3dnet'],
      [1, 'noisy100', 'highres3dnet'],
    ]);
    // Per arm: test predictions scored against the clean labels, training predictions against its own and the clean.
    expect(
      study.jobs.filter((j) => j.kind === 'evaluate').map((j) => `${j.tags.ratio}:${j.spec.split}:${j.spec.against}`),
    ).toEqual([
      '0:test:expert',
      '0:train:noisy0',
      '0:train:expert',
      '1:test:expert',
      '1:train:noisy100',
      '1:train:expert',
    ]);
    const sim = study.jobs.find((j) => j.kind === 'simulate')!;
    const dataset = json(jobFile(sim.key, 'data', 'dataset.json'));
    const train = dataset.cases.filter((c: { meta: { split: string } }) => c.meta.split === 'train');
    expect(train).toHaveLength(4);
    expect(dataset.cases.filter((c: { meta: { split: string } }) => c.meta.split === 'val')).toHaveLength(2);
    for (const c of train) {
      expect(c.raters.noisy0).toBe(c.raters.expert);
      expect(c.raters.noisy100).toBe(c.raters.dosimetrist);
    }
  });

  it('keeps the checkpoint of the lowest validation loss the log records', () => {
    for (const j of study.jobs.filter((x) => x.kind === 'train')) {
      const lines = readFileSync(jobFile(j.key, 'model', 'train-log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const validations = lines.filter((l) => l.type === 'validation') as { iteration: number; loss: number }[];
      expect(validations.map((v) => v.iteration)).toEqual([2, 4, 6]);
      const lowest = validations.reduce((a, b) => (b.loss < a.loss ? b : a));
      expect(json(jobFile(j.key, 'done.json')).result.bestIteration).toBe(lowest.iteration);
    }
  });

  it('Tables 1–2 hold the means over the cases of each evaluation', () => {
    const report = checkedReport(
      study.out,
      ['table1-test', 'table2-train', 'table3-power', 'table4-seed'],
      ['report.md', 'report.html', 'figures/test-dice-by-ratio.svg', 'figures/validation-curves.svg'],
    );
    const mean = (ratio: number, split: string, against: string, metric: 'dice' | 'fpr' | 'fdr') => {
      const job = study.jobs.find(
        (j) => j.kind === 'evaluate' && j.tags.ratio === ratio && j.spec.split === split && j.spec.against === against,
      )!;
      const cases = json(jobFile(job.key, 'evaluation.json')).cases as {
        labels: Record<string, Record<string, number>>;
      }[];
      return cases.reduce((s, c) => s + c.labels['1'][metric], 0) / cases.length;
    };
    const [test, train] = report.tables;
    expect(test.rows.map((r: { ratio: string }) => r.ratio)).toEqual(['0 %', '100 %']);
    expect(test.rows[1].dice.mean).toBeCloseTo(mean(1, 'test', 'expert', 'dice'), 12);
    expect(test.rows[0].fdr.mean).toBeCloseTo(mean(0, 'test', 'expert', 'fdr'), 12);
    expect(test.rows[0].fpr.mean).toBeCloseTo(mean(0, 'test', 'expert', 'fpr'), 12);
    expect(train.rows[1]['own:dice'].mean).toBeCloseTo(mean(1, 'train', 'noisy100', 'dice'), 12);
    expect(train.rows[1]['clean:dice'].mean).toBeCloseTo(mean(1, 'train', 'expert', 'dice'), 12);
    // One draw: no sd and no test.
    expect(test.rows[1].dice.sd).toBeNull();
    expect(test.rows[1]['p:dice']).toBeNull();
  });

  it('Table 3 gives the power of the comparison and Table 4 sets the seed beside the same means', () => {
    const report = json(join(study.out, 'report', 'report.json'));
    const [test, , power, seed] = report.tables;
    // One draw per ratio: the difference from 0 % is measured, but no between-draw sd, so nothing is detectable.
    expect(power.rows.map((r: { ratio: string }) => r.ratio)).toEqual(['0 %', '100 %', 'pooled over the ratios']);
    expect(power.rows[1].observed).toBeCloseTo(test.rows[1].dice.mean - test.rows[0].dice.mean, 12);
    expect(power.rows.map((r: { sd: number | null }) => r.sd)).toEqual([null, null, null]);
    expect(power.rows.map((r: { detectable: number | null }) => r.detectable)).toEqual([null, null, null]);
    expect(power.footnotes[0]).toContain('t(0.975; ν) + t(0.80; ν)');
    expect(report.notes).toContain(
      'Power (Table 3): with 1 draw(s) per ratio there is no between-draw sd, so no difference between ratios can be tested.',
    );
    const row = (q: string) => seed.rows.find((r: { quantity: string }) => r.quantity === q);
    expect(row('test Dice, 0 % noisy')).toMatchObject({ seed: '0.89 ± 0.07', ours: { mean: test.rows[0].dice.mean } });
    expect(row('test Dice, 100 % noisy')).toMatchObject({
      seed: '0.82 ± 0.07',
      ours: { mean: test.rows[1].dice.mean },
    });
    expect(row('drop of test Dice, 0 % → 100 %').ours).toBeCloseTo(-power.rows[1].observed, 12);
    expect(row('FDR, 100 %').ours.mean).toBe(test.rows[1].fdr.mean);
    const md = readFileSync(join(study.out, 'report', 'report.md'), 'utf8');
    expect(md).toContain('Table 3. What the draws can resolve');
    expect(md).toContain("Table 4. The seed's Figure 5 numbers beside ours");
  });
});
