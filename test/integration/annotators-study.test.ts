/**
 * `multirater study run annotators --preset smoke` end to end: the plan's jobs, Tables 1–3 recomputed here from the
 * jobs' own outputs (test Dice per repeat from evaluation.json, CM errors from the matrices), Table 3's measured
 * notes, the one-label draw shared by STAPLE across the training set and the annotator trainer, and the ensemble
 * prediction.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVolume } from '../../src/io/read-volume.ts';
import { confusionMatrixRmse } from '../../src/metrics/confusion-matrix.ts';
import { labelPatternStatistics } from '../../src/experiments/studies/annotators-identifiability.ts';
import { predictEnsembleDataset } from '../../src/predict/predict-ensemble.ts';
import { plannedJobs, readJson, smokeStudy, type PlannedJob } from '../smoke-study.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-annotators-'));
let out = '';
const RATERS = ['good', 'over', 'under', 'wrong', 'blank'];

afterAll(() => rmSync(root, { recursive: true, force: true }));

const json = readJson;
const jobFile = (key: string, ...path: string[]) => join(out, 'jobs', key, ...path);
/** The simulated set's split sizes (60 digits split 60/20/20 within each digit class). */
const splits = (): { train: number; val: number; test: number } =>
  json(
    jobFile(
      readdirSync(join(out, 'jobs')).find((k) => k.startsWith('simulate-'))!,
      'done.json',
    ),
  ).result.splits;
const HARSH = ['over', 'under', 'wrong'];

describe('study annotators (smoke)', () => {
  let jobs: PlannedJob[] = [];
  beforeAll(async () => {
    out = await smokeStudy('annotators');
    jobs = plannedJobs(out);
  }, 300_000);

  it('plans every method of both regimes on one simulated MNIST set, and Table 3 on the same digits with the harsh annotators', () => {
    const count = (kind: string) => jobs.filter((j) => j.kind === kind).length;
    // Dense: mean, mode, 5 separate, STAPLE, ours λ ∈ {0, 0.01}, ours on the published loss λ = 0.1, the two
    // oracles = 13 trainings; one label: naive, STAPLE, 2 ours, 1 published, the two oracles = 7; harsh: mean, ours
    // λ = 0.01, the per-pixel oracle = 3. Every row is evaluated once on the test split.
    expect(count('train-annotators')).toBe(20 + 3);
    expect(count('evaluate')).toBe(9 + 7 + 3);
    expect(count('predict-ensemble')).toBe(1);
    expect(count('staple-across')).toBe(1);
    expect(
      jobs
        .filter((j) => j.kind === 'fuse')
        .map((j) => j.spec.method)
        .sort(),
    ).toEqual(['majority', 'staple']);
    expect(
      jobs.filter((j) => j.kind === 'simulate').map((j) => [j.spec.raters, j.spec.annotators ?? 'morpho']),
    ).toEqual([
      [RATERS, 'morpho'],
      [HARSH, 'harsh'],
    ]);
    expect(jobs.length).toBe(67);
    const harshSim = jobs.find((j) => j.kind === 'simulate' && j.spec.annotators === 'harsh')!;
    const harsh = jobs.filter((j) => j.kind === 'train-annotators' && j.tags.regime === 'harsh');
    expect(harsh.map((j) => [j.tags.method, j.spec.raters, j.needs.data])).toEqual([
      ['mean', HARSH, harshSim.key],
      ['ours-0.01', HARSH, harshSim.key],
      ['oracle', HARSH, harshSim.key],
    ]);
    // Every training validates along the way and keeps its lowest validation loss on the annotators' labels.
    expect(
      new Set(
        jobs
          .filter((j) => j.kind === 'train-annotators')
          .map((j) => `${j.spec.validateEvery}/${j.spec.iterations}/${j.spec.selectBy ?? 'loss'}`),
      ),
    ).toEqual(new Set(['10/30/loss']));
    const ours = jobs.filter(
      (j) => j.kind === 'train-annotators' && j.tags.regime !== 'harsh' && String(j.tags.method).startsWith('ours'),
    );
    expect(
      ours.map((j) => [j.tags.regime, j.spec.traceWeight, j.spec.labelsPerImage ?? 'all', j.spec.cmLoss ?? 'paper']),
    ).toEqual([
      ['dense', 0, 'all', 'paper'],
      ['dense', 0.01, 'all', 'paper'],
      ['dense', 0.1, 'all', 'published'],
      ['one', 0, 1, 'paper'],
      ['one', 0.01, 1, 'paper'],
      ['one', 0.1, 1, 'published'],
    ]);
  });

  it("Tables 1–2 hold the mean test Dice (%) and the CM errors computed from the jobs' outputs", () => {
    const report = json(join(out, 'report', 'report.json'));
    expect(report.tables.map((t: { id: string }) => t.id)).toEqual([
      'table1-dense',
      'table2-one-label',
      'table3-harsh',
      'table4-ranking',
      'table5-calibration',
    ]);
    expect(report.figures.map((f: { id: string }) => f.id)).toEqual(['confusion-matrices', 'example-segmentations']);
    for (const f of ['report.md', 'report.html', 'figures/confusion-matrices.svg', 'figures/example-segmentations.svg'])
      expect(existsSync(join(out, 'report', f)), f).toBe(true);
    const [dense, one] = report.tables;
    expect(dense.rows.map((r: { method: string }) => r.method)).toEqual([
      'naive CNN on mean labels',
      'naive CNN on mode labels',
      'separate CNNs on annotators (mean of probabilities)',
      'CNN on STAPLE',
      'ours (pixel CMs), λ = 0',
      'ours (pixel CMs), λ = 0.01',
      "ours (pixel CMs, published code's loss), λ = 0.1",
      'oracle (per-pixel true CMs fixed)',
      'oracle (global true CMs fixed)',
    ]);
    expect(one.rows.map((r: { method: string }) => r.method)).toEqual([
      'naive CNN (mean = mode = the one label)',
      'CNN on STAPLE across the training set',
      'ours (pixel CMs), λ = 0',
      'ours (pixel CMs), λ = 0.01',
      "ours (pixel CMs, published code's loss), λ = 0.1",
      'oracle (per-pixel true CMs fixed)',
      'oracle (global true CMs fixed)',
    ]);

    // Dice: 100 × the mean over the test cases of the evaluate job's per-case Dice (one repeat).
    const evaluation = (regime: string, method: string) => {
      const job = jobs.find((j) => j.kind === 'evaluate' && j.tags.regime === regime && j.tags.method === method)!;
      const cases = json(jobFile(job.key, 'evaluation.json')).cases as { labels: Record<string, { dice: number }> }[];
      return (100 * cases.reduce((s, c) => s + c.labels['1'].dice, 0)) / cases.length;
    };
    expect(json(jobFile(jobs.find((j) => j.kind === 'evaluate')!.key, 'evaluation.json')).cases).toHaveLength(
      splits().test,
    );
    expect(dense.rows[0].dice.mean).toBeCloseTo(evaluation('dense', 'mean'), 10);
    expect(dense.rows[2].dice.mean).toBeCloseTo(evaluation('dense', 'separate'), 10);
    expect(one.rows[3].dice.mean).toBeCloseTo(evaluation('one', 'ours-0.01'), 10);
    expect(dense.rows[0].dice).toMatchObject({ n: 1, sd: null });

    // CM error of STAPLE across the training set with one rating per image: its matrices stay the identity
    // (the first M-step's fixed point), so the error is that of the identity against the simulator's matrices.
    const sim = jobs.find((j) => j.kind === 'simulate')!;
    const trueCms = json(jobFile(sim.key, 'data', 'dataset.json')).confusionMatrices as Record<
      string,
      { matrix: number[][] }
    >;
    const truth = RATERS.map((r) => trueCms[r].matrix);
    const identity = RATERS.map(() => [
      [1, 0],
      [0, 1],
    ]);
    expect(one.rows[1].cmError.mean).toBeCloseTo(confusionMatrixRmse(identity, truth), 10);
    // Ours: the trainer's validation CM error, which its annotator-cms.json recomputes from the matrices.
    const oursJob = jobs.find(
      (j) => j.kind === 'train-annotators' && j.tags.regime === 'dense' && j.tags.method === 'ours-0.01',
    )!;
    const cms = json(jobFile(oursJob.key, 'model', 'annotator-cms.json'));
    expect(dense.rows[5].cmError.mean).toBeCloseTo(
      confusionMatrixRmse(
        RATERS.map((r) => cms.confusionMatrices[r]),
        truth,
      ),
      10,
    );
    // The global oracle's matrices are the true ones; the per-pixel oracle's come from the truth and output none.
    expect(dense.rows[8].cmError.mean).toBeLessThan(1e-6);
    expect(dense.rows[7].cmError).toBeNull();
    expect(dense.rows[0].cmError).toBeNull();
  });

  it('Table 3 holds the harsh rows and says why, with the label patterns measured on the harsh training digits', () => {
    const table = json(join(out, 'report', 'report.json')).tables[2];
    expect(table.rows.map((r: { method: string }) => r.method)).toEqual([
      'naive CNN on mean labels',
      'ours (pixel CMs), λ = 0.01',
      'oracle (per-pixel true CMs fixed)',
    ]);
    const harshEval = jobs.find((j) => j.kind === 'evaluate' && j.tags.regime === 'harsh' && j.tags.method === 'mean')!;
    const cases = json(jobFile(harshEval.key, 'evaluation.json')).cases as {
      labels: Record<string, { dice: number }>;
    }[];
    expect(table.rows[0].dice.mean).toBeCloseTo(
      (100 * cases.reduce((s, c) => s + c.labels['1'].dice, 0)) / cases.length,
      10,
    );
    const sim = jobs.find((j) => j.kind === 'simulate' && j.spec.annotators === 'harsh')!;
    const stats = labelPatternStatistics(jobFile(sim.key, 'data'), HARSH, 'train');
    const why = (table.footnotes as string[]).find((f) => f.startsWith('Why ours cannot find the truth'))!;
    expect(why).toContain(
      `the best function of the three labels at a pixel reaches Dice ${stats.bestLabelFunctionDice.toFixed(2)}`,
    );
    const shared = stats.patterns.find((p) => p.pattern === '101')!;
    expect(why).toContain(
      `the labels (over 1, under 0, wrong 1) fall on ${((100 * shared.foreground) / stats.truthPixels).toFixed(0)} % of the truth's pixels`,
    );
    expect((table.footnotes as string[]).some((f) => f.startsWith('Ours along training (repeat 1;'))).toBe(true);
  });

  it("Table 4 checks the paper's ranking on Table 1, with ours on the published code's loss from its own rows", () => {
    const report = json(join(out, 'report', 'report.json'));
    const [dense, one] = report.tables;
    const ranking = report.tables.find((t: { id: string }) => t.id === 'table4-ranking');
    // The published-loss rows are the evaluations of their own trainings (cmLoss 'published').
    for (const [table, regime] of [
      [dense, 'dense'],
      [one, 'one'],
    ]) {
      const row = table.rows.find((r: { method: string }) => r.method.includes("published code's loss"));
      const job = jobs.find(
        (j) => j.kind === 'evaluate' && j.tags.regime === regime && j.tags.method === 'ours-published-0.1',
      )!;
      const cases = json(jobFile(job.key, 'evaluation.json')).cases as { labels: Record<string, { dice: number }> }[];
      expect(row.dice.mean).toBeCloseTo((100 * cases.reduce((s, c) => s + c.labels['1'].dice, 0)) / cases.length, 10);
      expect(row.dice.mean).toBeGreaterThanOrEqual(0);
      expect(row.dice.mean).toBeLessThanOrEqual(100);
    }
    // Table 1's means by row label, in the paper's ranking (smoke has no λ = 0.1 on the paper's loss, no Spatial
    // STAPLE and no λ = 0 on the published one).
    const mean = (label: string) => dense.rows.find((r: { method: string }) => r.method === label)?.dice?.mean ?? null;
    expect(
      ranking.rows.map((r: { method: string; paperLoss: unknown; publishedLoss: unknown }) => [
        r.method,
        r.paperLoss,
        r.publishedLoss,
      ]),
    ).toEqual([
      ['ours λ = 0.1', null, mean("ours (pixel CMs, published code's loss), λ = 0.1")],
      ['ours λ = 0', mean('ours (pixel CMs), λ = 0'), null],
      ['Spatial STAPLE', null, null],
      ['STAPLE', mean('CNN on STAPLE'), mean('CNN on STAPLE')],
      [
        'separate',
        mean('separate CNNs on annotators (mean of probabilities)'),
        mean('separate CNNs on annotators (mean of probabilities)'),
      ],
      ['mode', mean('naive CNN on mode labels'), mean('naive CNN on mode labels')],
      ['mean', mean('naive CNN on mean labels'), mean('naive CNN on mean labels')],
      ['ranking', expect.stringMatching(/^(fails|incomplete)$/), expect.stringMatching(/^(fails|incomplete)$/)],
    ]);
    // The outcome: 'fails' exactly when two neighbours among those present are out of order.
    const outcome = (column: 'paperLoss' | 'publishedLoss') => {
      const present = ranking.rows
        .slice(0, 7)
        .flatMap((r: Record<string, number | null>) => (r[column] === null ? [] : [r[column]]));
      return present.some((v: number, k: number) => k > 0 && present[k - 1] <= v) ? 'fails' : 'incomplete';
    };
    expect(ranking.rows[7].paperLoss).toBe(outcome('paperLoss'));
    expect(ranking.rows[7].publishedLoss).toBe(outcome('publishedLoss'));
    const said = (ranking.footnotes as string[]).filter((f) => f.startsWith('With ours on the'));
    expect(said).toHaveLength(2);
    for (const [f, o] of [
      [said[0], outcome('paperLoss')],
      [said[1], outcome('publishedLoss')],
    ])
      expect(f).toContain(o === 'fails' ? "the paper's ranking does not appear" : 'cannot be checked in full');
  });

  it('Table 5 sets the annotators measured on the training digits beside the published ones', () => {
    const table = json(join(out, 'report', 'report.json')).tables.find(
      (t: { id: string }) => t.id === 'table5-calibration',
    );
    expect(
      table.rows.map((r: { annotator: string; publishedArea: number | null; publishedDice: number }) => [
        r.annotator,
        r.publishedArea,
        r.publishedDice,
      ]),
    ).toEqual([
      ['over', 2.9, 0.51],
      ['under', 0.32, 0.42],
      ['wrong', 2.0, 0.53],
      ['majority of the three', null, 0.56],
    ]);
    const sim = (harsh: boolean) =>
      jobs.find((j) => j.kind === 'simulate' && (j.spec.annotators === 'harsh') === harsh)!;
    const five = labelPatternStatistics(jobFile(sim(false).key, 'data'), HARSH, 'train');
    const harsh = labelPatternStatistics(jobFile(sim(true).key, 'data'), HARSH, 'train');
    expect(five.cases).toBe(splits().train);
    table.rows.forEach((r: Record<string, number>, k: number) => {
      expect(r.fiveArea).toBeCloseTo(five.annotators[k].areaOverTruth, 10);
      expect(r.fiveDice).toBeCloseTo(five.annotators[k].meanDice, 10);
      expect(r.harshArea).toBeCloseTo(harsh.annotators[k].areaOverTruth, 10);
      expect(r.harshDice).toBeCloseTo(harsh.annotators[k].meanDice, 10);
    });
    const [over, under, wrong, majority] = table.rows as Record<string, number>[];
    // In range: over and wrong add area, under removes it; the harsh ones near the published figures.
    expect([over.fiveArea > 1, under.fiveArea < 1, wrong.fiveArea > 1]).toEqual([true, true, true]);
    for (const [r, area] of [
      [over, 2.9],
      [under, 0.32],
      [wrong, 2.0],
    ] as const)
      expect(Math.abs(r.harshArea / area - 1), String(r.annotator)).toBeLessThan(0.2);
    for (const r of [over, under, wrong, majority]) {
      expect(Math.abs(r.harshDice - r.publishedDice), String(r.annotator)).toBeLessThan(0.08);
      expect(r.fiveDice).toBeGreaterThan(0);
      expect(r.fiveDice).toBeLessThanOrEqual(1);
    }
  });

  it('STAPLE across the training set sees the same one label per image as the annotator trainer with that seed', () => {
    const across = jobs.find((j) => j.kind === 'staple-across')!;
    const ours = jobs.find(
      (j) => j.kind === 'train-annotators' && j.tags.regime === 'one' && j.tags.method === 'ours-0',
    )!;
    const assignment = json(jobFile(across.key, 'staple.json')).assignment;
    expect(Object.keys(assignment).length).toBe(splits().train);
    const recorded = json(jobFile(ours.key, 'model', 'label-assignment.json'));
    expect(assignment).toEqual(recorded.assignment);
    // Its validation digits hold one rating each too, the trainer's validation draw: STAPLE across them keeps it.
    const fused = json(jobFile(across.key, 'data', 'dataset.json')).cases as {
      id: string;
      meta: { split: string };
      raters: Record<string, string>;
    }[];
    const source = json(jobFile(jobs.find((j) => j.kind === 'simulate')!.key, 'data', 'dataset.json')).cases as {
      id: string;
      raters: Record<string, string>;
    }[];
    const val = fused.filter((c) => c.meta.split === 'val');
    expect(Object.keys(recorded.validation).sort()).toEqual(val.map((c) => c.id).sort());
    for (const c of val) {
      const kept = source.find((x) => x.id === c.id)!.raters[recorded.validation[c.id]];
      expect(readVolume(jobFile(across.key, 'data', c.raters['fused-staple-across'])).data, c.id).toEqual(
        readVolume(jobFile(jobs.find((j) => j.kind === 'simulate')!.key, 'data', kept)).data,
      );
    }
  });

  it('the ensemble of one model twice predicts what the model predicts', async () => {
    const predict = jobs.find((j) => j.kind === 'predict' && j.tags.regime === 'dense' && j.tags.method === 'ours-0')!;
    const sim = jobs.find((j) => j.kind === 'simulate')!;
    const model = jobFile(predict.needs.model, 'model');
    const ens = join(root, 'ensemble');
    await predictEnsembleDataset({
      models: [model, model],
      data: jobFile(sim.key, 'data'),
      split: 'test',
      out: ens,
      threads: 1,
    });
    const files = readdirSync(jobFile(predict.key, 'pred')).sort();
    expect(readdirSync(ens).sort()).toEqual(files);
    for (const f of files)
      expect(readVolume(join(ens, f)).data).toEqual(readVolume(jobFile(predict.key, 'pred', f)).data);
  });
});
