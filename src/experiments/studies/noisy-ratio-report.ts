/**
 * The noisy-ratio study's report. Table 1 (the seed's Figure 5): test Dice, FPR and FDR against the clean labels per
 * noisy ratio, mean ± sd over the draws of each draw's mean over the test cases, with a two-sample (Welch) t-test
 * of each ratio against 0 % over the draws. Table 2 (Figures 6–7): the same on the training cases, against the
 * arm's own (noisy) labels and against the clean ones. Figures: test Dice per ratio, and each arm's validation-loss
 * curve with the selected (lowest-loss) checkpoint.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportCell, ReportFigure, ReportTable, StudyReport, SummaryCell } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import { welchTTest } from '../../stats/index.ts';
import { finishedRecords, type CaseRecord } from '../evaluation-records.ts';
import { jobDir } from '../job.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import type { NoisyRatioPlanSettings, NoisyRatioSettings } from './noisy-ratio.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const METRICS = [
  { key: 'dice', label: 'Dice', lowerIsBetter: false },
  { key: 'fpr', label: 'FPR = FP / all negatives', lowerIsBetter: true },
  { key: 'fdr', label: 'FDR = FP / (TP + FP)', lowerIsBetter: true },
] as const;

const pct = (r: number): string => `${Math.round(r * 100)} %`;

/** Per draw: the mean over the cases of `split` scored against `against` of one metric. */
function drawMeans(
  records: readonly CaseRecord[],
  s: NoisyRatioSettings,
  ratio: number,
  split: string,
  against: string,
  metric: string,
): (number | null)[] {
  return Array.from({ length: s.draws }, (_, d) => {
    const rs = records.filter(
      (r) => r.tags.ratio === ratio && r.tags.draw === d + 1 && r.tags.split === split && r.tags.against === against,
    );
    return summarize(rs.map((r) => Object.values(r.metrics)[0]?.[metric] ?? null)).mean;
  });
}

const cell = (values: readonly (number | null)[], marks: string[] = []): SummaryCell => {
  const sm = summarize(values);
  return { mean: sm.mean, sd: sm.sd, n: sm.n, ...(marks.length > 0 ? { marks } : {}) };
};

function testTable(records: readonly CaseRecord[], s: NoisyRatioSettings): ReportTable {
  const rows = s.ratios.map((ratio) => {
    const row: Record<string, ReportCell> = { ratio: pct(ratio) };
    for (const m of METRICS) {
      const v = drawMeans(records, s, ratio, 'test', 'clean', m.key);
      const t =
        ratio === s.ratios[0] ? null : welchTTest(v, drawMeans(records, s, s.ratios[0], 'test', 'clean', m.key));
      row[m.key] = cell(v, t !== null && t.p !== null && t.p < 0.05 ? ['*'] : []);
      row[`p:${m.key}`] = t?.p ?? null;
    }
    return row;
  });
  return {
    id: 'table1-test',
    title: 'Table 1 (seed Figure 5). Test metrics against the clean labels per noisy ratio',
    columns: [
      { key: 'ratio', label: 'noisy training cases' },
      ...METRICS.flatMap((m) => [
        { key: m.key, label: m.label, decimals: 4, lowerIsBetter: m.lowerIsBetter },
        { key: `p:${m.key}`, label: `p vs ${pct(s.ratios[0])} (${m.key})`, decimals: 4 },
      ]),
    ],
    rows,
    footnotes: [
      `Mean ± sd over the ${s.draws} draws of which training cases are noisy; each draw's value is the mean over the test cases. * p < 0.05 against ${pct(s.ratios[0])} (two-sided two-sample Welch t-test over the draws).`,
      'The seed calls its false-positive measure "vs-FPR" and defines it as incorrect positives over all negative voxels (our FPR), yet reports values near 0.2, which on such volumes only FP / (TP + FP) (our FDR) can give: compare the seed\'s numbers with FDR.',
    ],
  };
}

function trainTable(records: readonly CaseRecord[], s: NoisyRatioSettings): ReportTable {
  const rows = s.ratios.map((ratio) => {
    const row: Record<string, ReportCell> = { ratio: pct(ratio) };
    for (const against of ['own', 'clean'])
      for (const m of METRICS) row[`${against}:${m.key}`] = cell(drawMeans(records, s, ratio, 'train', against, m.key));
    return row;
  });
  return {
    id: 'table2-train',
    title:
      'Table 2 (seed Figures 6–7). Training-set metrics against the labels trained on and against the clean labels',
    columns: [
      { key: 'ratio', label: 'noisy training cases' },
      ...['own', 'clean'].flatMap((against) =>
        METRICS.map((m) => ({
          key: `${against}:${m.key}`,
          label: `${m.label} vs ${against === 'own' ? 'trained-on' : 'clean'} labels`,
          decimals: 4,
          lowerIsBetter: m.lowerIsBetter,
        })),
      ),
    ],
    rows,
    footnotes: [`Mean ± sd over the ${s.draws} draws of each draw's mean over the training cases.`],
  };
}

/** Every finished train job's validation losses (from its train-log.jsonl) and the selected iteration. */
function curves(finished: FinishedStudy): Record<string, string | number | boolean>[] {
  const points: Record<string, string | number | boolean>[] = [];
  for (const job of finished.plan.jobs) {
    const done = finished.done.get(job.key);
    if (job.kind !== 'train' || done === undefined) continue;
    const log = join(jobDir(finished.out, job.key), 'model', 'train-log.jsonl');
    if (!existsSync(log)) continue;
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (line.length === 0) continue;
      const entry = JSON.parse(line) as { type?: string; iteration?: number; loss?: number };
      if (entry.type !== 'validation' || typeof entry.loss !== 'number') continue;
      points.push({
        arm: `${pct(Number(job.tags.ratio))} draw ${job.tags.draw}`,
        ratio: pct(Number(job.tags.ratio)),
        iteration: entry.iteration!,
        loss: entry.loss,
        selected: entry.iteration === done.result.bestIteration,
      });
    }
  }
  return points;
}

function figures(finished: FinishedStudy, records: readonly CaseRecord[], s: NoisyRatioSettings): ReportFigure[] {
  const dice = s.ratios.flatMap((ratio) => {
    const sm = summarize(drawMeans(records, s, ratio, 'test', 'clean', 'dice'));
    return sm.n === 0
      ? []
      : [{ ratio: Math.round(ratio * 100), mean: sm.mean, lo: sm.mean! - (sm.sd ?? 0), hi: sm.mean! + (sm.sd ?? 0) }];
  });
  const x = { field: 'ratio', type: 'quantitative', title: 'noisy training cases (%)' };
  return [
    {
      id: 'test-dice-by-ratio',
      title: 'Test Dice per noisy ratio',
      spec: {
        $schema: SCHEMA,
        title: 'Test Dice against the clean labels',
        data: { values: dice },
        width: 320,
        height: 220,
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x,
              y: { field: 'mean', type: 'quantitative', title: 'Dice (mean ± sd over draws)', scale: { zero: false } },
            },
          },
          {
            mark: 'errorbar',
            encoding: {
              x,
              y: { field: 'lo', type: 'quantitative', title: 'Dice (mean ± sd over draws)' },
              y2: { field: 'hi' },
            },
          },
        ],
      },
      caption: "Each draw's mean over the test cases; mean ± sd over the draws.",
    },
    {
      id: 'validation-curves',
      title: 'Validation loss curves',
      spec: {
        $schema: SCHEMA,
        title: 'Validation loss per arm (filled: the selected checkpoint)',
        data: { values: curves(finished) },
        width: 320,
        height: 220,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'iteration', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative', title: 'validation loss', scale: { zero: false } },
          color: { field: 'arm', type: 'nominal' },
          shape: { field: 'selected', type: 'nominal' },
        },
      },
      caption:
        'Loss on the validation cases (whole volumes, sliding window) at every check; each model keeps the checkpoint with the lowest.',
    },
  ];
}

/** The study's report from its finished jobs; see the file comment. */
export function noisyRatioReport(finished: FinishedStudy, s: NoisyRatioPlanSettings): StudyReport {
  const records = finishedRecords(finished).cases;
  return {
    ...reportHeader(finished),
    notes: [
      'How many training cases may carry rough (dosimetrist) labels before a 3D network trained on them segments the mandible worse? Each arm trains HighRes3DNet on one mix of clean and noisy training labels; validation and test cases are the same for every arm and scored against the clean labels.',
      "Data: the multirater head-and-neck CT phantom with the dosimetrist calibrated to the seed's quality, unless the study was run with --data. The seed study used 202 mandible CT scans.",
      evaluationsFinished(finished),
    ],
    tables: [testTable(records, s), trainTable(records, s)],
    figures: figures(finished, records, s),
  };
}
