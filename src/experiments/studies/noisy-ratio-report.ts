/**
 * The noisy-ratio study's report. Table 1 (the seed's Figure 5): test Dice, FPR and FDR against the clean labels per
 * noisy ratio, mean ± sd over the draws of each draw's mean over the test cases, with a two-sample (Welch) t-test
 * of each ratio against 0 % over the draws. Table 2 (Figures 6–7): the same on the training cases, against the
 * arm's own (noisy) labels and against the clean ones. Table 3: the test's power, from the measured between-draw sd
 * of test Dice. Table 4: the seed's numbers beside ours. Figures: test Dice per ratio, and
 * each arm's validation-loss curve with the selected (lowest-loss) checkpoint.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportCell, ReportFigure, ReportTable, StudyReport, SummaryCell } from '../../report/index.ts';
import { detectableDifference, groupSizeToDetect, summarize, welchTTest } from '../../stats/index.ts';
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

/** The seed's numbers (Figure 5 and its data description) that Table 4 sets beside ours. */
const SEED = {
  cleanDice: '0.89 ± 0.07',
  noisyDice: '0.82 ± 0.07',
  /** Its clean-to-100 % drop of test Dice, the difference the power table sizes the draws for. */
  drop: 0.07,
  pUpTo20: '> 0.25 (no significant difference up to 20 %)',
  falsePositives: '≈ 0.2 ("vs-FPR")',
  noisyLabels: '0.87 ± 0.08',
} as const;

/** Between-draw test Dice at each ratio: the draws' means, their sd and count. */
function diceSpread(records: readonly CaseRecord[], s: NoisyRatioSettings) {
  return s.ratios.map((ratio) => {
    const sm = summarize(drawMeans(records, s, ratio, 'test', 'clean', 'dice'));
    return { ratio, mean: sm.mean, sd: sm.sd, n: sm.n };
  });
}

/** The sd pooled over groups of `n` values with sample sd `sd` (weights n − 1); null without a degree of freedom. */
function pooledSd(groups: readonly { sd: number | null; n: number }[]): number | null {
  let ss = 0;
  let df = 0;
  for (const g of groups)
    if (g.sd !== null && g.n > 1) {
      ss += (g.n - 1) * g.sd ** 2;
      df += g.n - 1;
    }
  return df > 0 ? Math.sqrt(ss / df) : null;
}

/**
 * Table 3: per ratio, the between-draw sd of test Dice, the difference from the first ratio, the difference the
 * draws detect (two-sided two-sample t, α 0.05, power 0.8) and the draws the seed's drop would need; last row pooled.
 */
export function powerTable(records: readonly CaseRecord[], s: NoisyRatioSettings): ReportTable {
  const spread = diceSpread(records, s);
  const base = spread[0];
  const rows: Record<string, ReportCell>[] = spread.map((r, i) => {
    const sd = i === 0 ? null : pooledSd([base, r]);
    return {
      ratio: pct(r.ratio),
      draws: r.n,
      sd: r.sd,
      observed: i === 0 || r.mean === null || base.mean === null ? null : r.mean - base.mean,
      detectable: i === 0 ? null : detectableDifference(sd, r.n, base.n),
      drawsForSeed: i === 0 ? null : groupSizeToDetect(SEED.drop, sd),
    };
  });
  const pooled = pooledSd(spread);
  rows.push({
    ratio: 'pooled over the ratios',
    draws: s.draws,
    sd: pooled,
    observed: null,
    detectable: detectableDifference(pooled, s.draws, s.draws),
    drawsForSeed: groupSizeToDetect(SEED.drop, pooled),
  });
  return {
    id: 'table3-power',
    title: `Table 3. What the draws can resolve: the smallest test-Dice difference from ${pct(s.ratios[0])} detected at p < 0.05 with 80 % power`,
    columns: [
      { key: 'ratio', label: 'noisy training cases' },
      { key: 'draws', label: 'draws', decimals: 0 },
      { key: 'sd', label: 'sd of test Dice between draws', decimals: 4 },
      { key: 'observed', label: `observed difference from ${pct(s.ratios[0])}`, decimals: 4 },
      { key: 'detectable', label: 'detectable difference (α 0.05, power 0.8)', decimals: 4 },
      { key: 'drawsForSeed', label: `draws per ratio to detect the seed's drop of ${SEED.drop}`, decimals: 0 },
    ],
    rows,
    footnotes: [
      `The comparison of Table 1: a two-sided two-sample t-test of one ratio's per-draw mean test Dice against ${pct(s.ratios[0])}'s. Detectable difference δ = (t(0.975; ν) + t(0.80; ν)) · s · √(1/n₁ + 1/n₀), ν = n₁ + n₀ − 2 (Student t quantiles; the t approximation of the noncentral-t power, 5 % small for 2 vs 2 draws, within 0.1 % for 6 vs 6). With equal sds Welch's df equals ν.`,
      `s: the sd between draws pooled over this ratio and ${pct(s.ratios[0])} (weights n − 1); the last row pools every ratio and takes the planned ${s.draws} draws per arm. Draws to detect: the fewest equal draws per arm whose δ at that s is at most the seed's clean-to-100 % drop (${SEED.drop}); empty when even 1,000 do not, or s is undefined.`,
    ],
  };
}

function seedTable(records: readonly CaseRecord[], s: NoisyRatioSettings): ReportTable {
  const test = (ratio: number, metric: string) => drawMeans(records, s, ratio, 'test', 'clean', metric);
  const first = s.ratios[0];
  const last = s.ratios[s.ratios.length - 1];
  const p = (ratio: number): number | null =>
    s.ratios.includes(ratio) ? welchTTest(test(ratio, 'dice'), test(first, 'dice')).p : null;
  const a = summarize(test(first, 'dice')).mean;
  const b = summarize(test(last, 'dice')).mean;
  return {
    id: 'table4-seed',
    title: "Table 4. The seed's Figure 5 numbers beside ours",
    columns: [
      { key: 'quantity', label: 'quantity' },
      { key: 'seed', label: 'seed (202 mandible CTs, 6 draws)' },
      { key: 'ours', label: `ours (${s.draws} draws)`, decimals: 4 },
    ],
    rows: [
      { quantity: `test Dice, ${pct(first)} noisy`, seed: SEED.cleanDice, ours: cell(test(first, 'dice')) },
      { quantity: `test Dice, ${pct(last)} noisy`, seed: SEED.noisyDice, ours: cell(test(last, 'dice')) },
      {
        quantity: `drop of test Dice, ${pct(first)} → ${pct(last)}`,
        seed: String(SEED.drop),
        ours: a === null || b === null ? null : a - b,
      },
      { quantity: 'p, 20 % against 0 % (Welch over draws)', seed: SEED.pUpTo20, ours: p(0.2) },
      { quantity: `p, ${pct(last)} against 0 %`, seed: '< 0.05 (significant above 20 %)', ours: p(last) },
      { quantity: `FDR = FP / (TP + FP), ${pct(first)}`, seed: SEED.falsePositives, ours: cell(test(first, 'fdr')) },
      { quantity: `FDR, ${pct(last)}`, seed: SEED.falsePositives, ours: cell(test(last, 'fdr')) },
    ],
    footnotes: [
      `Seed values from its text and Figure 5, ± as it gives them. Ours: mean ± sd over the draws of each draw's mean over the test cases (Table 1). The noisy labels themselves: the seed's dosimetrist has Dice ${SEED.noisyLabels} against the corrected labels, and ours is calibrated to it (scripts/calibrate-dosimetrist.ts).`,
      "The seed's per-ratio training-set values (Figures 6–7) are not recorded in this project: Table 2 stands without them.",
    ],
  };
}

/** One sentence (a report note) saying whether the draws resolve the seed's drop, with the numbers of Table 3. */
export function powerNote(records: readonly CaseRecord[], s: NoisyRatioSettings): string {
  const pooled = pooledSd(diceSpread(records, s));
  const detectable = detectableDifference(pooled, s.draws, s.draws);
  if (pooled === null || detectable === null)
    return `Power (Table 3): with ${s.draws} draw(s) per ratio there is no between-draw sd, so no difference between ratios can be tested.`;
  const needed = groupSizeToDetect(SEED.drop, pooled);
  const verdict =
    detectable <= SEED.drop
      ? `so the seed's clean-to-100 % drop of ${SEED.drop} is within reach`
      : `larger than the seed's clean-to-100 % drop of ${SEED.drop}, so a drop of that size can go undetected here (${needed === null ? 'over 1,000' : needed} draws per ratio would be needed at this sd)`;
  return `Power (Table 3): the pooled sd of test Dice between draws is ${pooled.toFixed(4)}; ${s.draws} against ${s.draws} draws detect a difference of ${detectable.toFixed(4)} (two-sided t, p < 0.05, power 0.8), ${verdict}.`;
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
      powerNote(records, s),
      evaluationsFinished(finished),
    ],
    tables: [testTable(records, s), trainTable(records, s), powerTable(records, s), seedTable(records, s)],
    figures: figures(finished, records, s),
  };
}
