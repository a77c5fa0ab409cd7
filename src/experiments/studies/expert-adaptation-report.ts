/**
 * The expert-adaptation study's report. Table I: each single-expert model on the test annotations of experts 6
 * and 7 (mean ± sd over the test images; ▲ the best of the column, ≈ not significantly different from it, two-sided
 * unpaired Welch t-test p ≥ 0.05). Tables II and III, per new expert: the metric of each way is the mean over its
 * test images, averaged over the expert combinations of the setting; mean ± sd over the ways; ‡ marks a
 * multi-expert (fine-tuned) result significantly better than from scratch with the same images (two-sided paired
 * t-test over the ways, p < 0.05). Figures: Dice against the number of fine-tuning images (with and without
 * multi-expert training) and against the number of training experts.
 */
import type { ReportCell, ReportFigure, ReportTable, StudyReport, SummaryCell } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import { pairedTTest, welchTTest } from '../../stats/index.ts';
import { finishedRecords, type CaseRecord } from '../evaluation-records.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import type { ExpertAdaptationSettings } from './expert-adaptation.ts';

const METRICS = [
  { key: 'dice', label: 'Dice (%)', scale: 100, decimals: 2, lowerIsBetter: false },
  { key: 'assd', label: 'ASSD (mm)', scale: 1, decimals: 2, lowerIsBetter: true },
  { key: 'hd95', label: 'HD95 (mm)', scale: 1, decimals: 2, lowerIsBetter: true },
] as const;
type Metric = (typeof METRICS)[number];

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A record's value of `metric` (the dataset has one structure), scaled for display; null where undefined. */
function valueOf(r: CaseRecord, metric: Metric): number | null {
  const byLabel = Object.values(r.metrics)[0];
  const v = byLabel?.[metric.key];
  return v === null || v === undefined ? null : v * metric.scale;
}

const mean = (values: readonly (number | null)[]): number | null => summarize(values).mean;

const cell = (values: readonly (number | null)[], marks: string[] = []): SummaryCell => {
  const s = summarize(values);
  return { mean: s.mean, sd: s.sd, n: s.n, ...(marks.length > 0 ? { marks } : {}) };
};

function tableOne(records: readonly CaseRecord[], s: ExpertAdaptationSettings): ReportTable {
  const single = records.filter((r) => r.tags.method === 'single');
  const columns = s.tableOneTestExperts.flatMap((t) =>
    METRICS.map((m) => ({
      key: `${t}:${m.key}`,
      label: `${m.label} on ${t}`,
      decimals: m.decimals,
      lowerIsBetter: m.lowerIsBetter,
    })),
  );
  const values = (trainedOn: string, test: string, m: Metric): (number | null)[] =>
    single
      .filter((r) => r.tags.trainedOn === trainedOn && r.tags.testExpert === test)
      .sort((a, b) => a.caseId.localeCompare(b.caseId))
      .map((r) => valueOf(r, m));
  const rows: Record<string, ReportCell>[] = s.allExperts.map((e) => ({ trainedOn: e }));
  for (const test of s.tableOneTestExperts) {
    for (const m of METRICS) {
      const byExpert = s.allExperts.map((e) => values(e, test, m));
      const means = byExpert.map((v) => mean(v));
      const present = means.map((v, i) => [v, i] as const).filter(([v]) => v !== null) as [number, number][];
      const best =
        present.length === 0
          ? -1
          : present.reduce((a, b) => ((m.lowerIsBetter ? b[0] < a[0] : b[0] > a[0]) ? b : a))[1];
      byExpert.forEach((v, i) => {
        const marks: string[] = [];
        if (i === best) marks.push('▲');
        else if (best >= 0 && means[i] !== null) {
          const p = welchTTest(v, byExpert[best]).p;
          if (p !== null && p >= 0.05) marks.push('≈');
        }
        rows[i][`${test}:${m.key}`] = cell(v, marks);
      });
    }
  }
  return {
    id: 'table1-single-expert',
    title: 'Table I. A model trained on each single expert, tested on the annotations of the new experts',
    columns: [{ key: 'trainedOn', label: 'trained on' }, ...columns],
    rows: rows.filter((r) => Object.keys(r).length > 1),
    footnotes: [
      'Mean ± sd over the test images; each model trained on all training images of one expert.',
      '▲ the best value of the column; ≈ not significantly different from it (two-sided unpaired Welch t-test over the test images, p ≥ 0.05).',
    ],
  };
}

/** Per way (in `runWays` order): the metric's mean over test images, averaged over the setting's expert combinations. */
function wayValues(
  records: readonly CaseRecord[],
  match: (r: CaseRecord) => boolean,
  runWays: readonly number[],
  m: Metric,
): (number | null)[] {
  const chosen = records.filter(match);
  return runWays.map((way) => {
    const atWay = chosen.filter((r) => r.tags.way === way);
    const combos = [...new Set(atWay.map((r) => String(r.tags.experts)))].sort();
    return mean(combos.map((c) => mean(atWay.filter((r) => String(r.tags.experts) === c).map((r) => valueOf(r, m)))));
  });
}

const isScratch = (expert: string, n: number) => (r: CaseRecord) =>
  r.tags.method === 'scratch' && r.tags.newExpert === expert && r.tags.n === n;
const isTuned = (expert: string, n: number, k: number) => (r: CaseRecord) =>
  r.tags.method === 'finetune' && r.tags.newExpert === expert && r.tags.n === n && r.tags.k === k;

/** ‡ when `a` is significantly better than `b` over the ways (paired); the test's p. */
function betterThan(a: (number | null)[], b: (number | null)[], m: Metric): { marks: string[]; p: number | null } {
  const t = pairedTTest(a, b);
  const better = t.meanDifference !== null && (m.lowerIsBetter ? t.meanDifference < 0 : t.meanDifference > 0);
  return { marks: better && t.p !== null && t.p < 0.05 ? ['‡'] : [], p: t.p };
}

function tableTwo(records: readonly CaseRecord[], s: ExpertAdaptationSettings, expert: string): ReportTable {
  const k = s.tableTwoExperts;
  const rows = s.samples.map((n) => {
    const row: Record<string, ReportCell> = { n };
    for (const m of METRICS) {
      const tuned = wayValues(records, isTuned(expert, n, k), s.runWays, m);
      const scratch = wayValues(records, isScratch(expert, n), s.runWays, m);
      const test = betterThan(tuned, scratch, m);
      row[`multi:${m.key}`] = cell(tuned, test.marks);
      row[`scratch:${m.key}`] = cell(scratch);
      if (m.key === 'dice') row.p = test.p;
    }
    return row;
  });
  return {
    id: `table2-finetune-${expert}`,
    title: `Table II. Adapting to ${expert}: the ${k}-expert model fine-tuned with n of its images vs training from scratch on them`,
    columns: [
      { key: 'n', label: 'images n', decimals: 0 },
      ...METRICS.flatMap((m) => [
        {
          key: `multi:${m.key}`,
          label: `${m.label} multi-expert`,
          decimals: m.decimals,
          lowerIsBetter: m.lowerIsBetter,
        },
        { key: `scratch:${m.key}`, label: `${m.label} scratch`, decimals: m.decimals, lowerIsBetter: m.lowerIsBetter },
      ]),
      { key: 'p', label: 'p (Dice, paired)', decimals: 4 },
    ],
    rows,
    footnotes: [
      `Mean ± sd over the ${s.runWays.length} ways of the sub-set rule (ways ${s.runWays.map((w) => w + 1).join(', ')} of ${s.ways}); each way's value is the mean over the test images of ${expert}, averaged over the ${k}-expert combinations run${s.maxCombinations === null ? ' (all C(5, k))' : ` (at most ${s.maxCombinations})`}.`,
      '‡ multi-expert significantly better than scratch (two-sided paired t-test over the ways, p < 0.05); p is that test on Dice.',
    ],
  };
}

function tableThree(records: readonly CaseRecord[], s: ExpertAdaptationSettings, expert: string): ReportTable {
  const n = s.tableThreeSamples;
  const scratchOf = (m: Metric) => wayValues(records, isScratch(expert, n), s.runWays, m);
  const rows = s.expertCounts.map((k) => {
    const row: Record<string, ReportCell> = { k };
    for (const m of METRICS) {
      const v = k === 0 ? scratchOf(m) : wayValues(records, isTuned(expert, n, k), s.runWays, m);
      const test = k === 0 ? { marks: [], p: null } : betterThan(v, scratchOf(m), m);
      row[m.key] = cell(v, test.marks);
      if (m.key === 'dice') row.p = test.p;
    }
    return row;
  });
  return {
    id: `table3-experts-${expert}`,
    title: `Table III. Adapting to ${expert} with ${n} images after training on k experts (k = 0: from scratch)`,
    columns: [
      { key: 'k', label: 'training experts k', decimals: 0 },
      ...METRICS.map((m) => ({ key: m.key, label: m.label, decimals: m.decimals, lowerIsBetter: m.lowerIsBetter })),
      { key: 'p', label: 'p vs scratch (Dice, paired)', decimals: 4 },
    ],
    rows,
    footnotes: [
      `Mean ± sd over the ${s.runWays.length} ways; each way's value averaged over the k-expert combinations run.`,
      '‡ significantly better than from scratch (k = 0) with the same images (two-sided paired t-test over the ways, p < 0.05).',
    ],
  };
}

/** Mean ± sd of Dice over the ways, as line points. */
function linePoint(
  values: (number | null)[],
  x: number,
  series: string,
  expert: string,
): Record<string, string | number | null> | null {
  const sm = summarize(values);
  if (sm.n === 0) return null;
  const sd = sm.sd ?? 0;
  return { x, series, expert, mean: sm.mean, lo: sm.mean! - sd, hi: sm.mean! + sd, n: sm.n };
}

function lineSpec(
  title: string,
  xTitle: string,
  values: Record<string, string | number | null>[],
): Record<string, unknown> {
  const x = { field: 'x', type: 'quantitative', title: xTitle };
  const color = { field: 'series', type: 'nominal', title: null };
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { column: { field: 'expert', type: 'nominal', title: 'new expert' } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: 'Dice (%), mean ± sd over ways', scale: { zero: false } },
            color,
          },
        },
        {
          mark: 'errorbar',
          encoding: {
            x,
            y: { field: 'lo', type: 'quantitative', title: 'Dice (%), mean ± sd over ways' },
            y2: { field: 'hi' },
            color,
          },
        },
      ],
    },
  };
}

function figures(records: readonly CaseRecord[], s: ExpertAdaptationSettings): ReportFigure[] {
  const dice = METRICS[0];
  const byImages: Record<string, string | number | null>[] = [];
  const byExperts: Record<string, string | number | null>[] = [];
  for (const e of s.newExperts) {
    for (const n of s.samples) {
      const a = linePoint(
        wayValues(records, isTuned(e, n, s.tableTwoExperts), s.runWays, dice),
        n,
        `multi-expert (${s.tableTwoExperts} experts)`,
        e,
      );
      const b = linePoint(wayValues(records, isScratch(e, n), s.runWays, dice), n, 'from scratch', e);
      for (const p of [a, b]) if (p !== null) byImages.push(p);
    }
    for (const k of s.expertCounts) {
      const v =
        k === 0
          ? wayValues(records, isScratch(e, s.tableThreeSamples), s.runWays, dice)
          : wayValues(records, isTuned(e, s.tableThreeSamples, k), s.runWays, dice);
      const p = linePoint(v, k, `${s.tableThreeSamples} images`, e);
      if (p !== null) byExperts.push(p);
    }
  }
  return [
    {
      id: 'dice-vs-images',
      title: 'Dice vs number of fine-tuning images',
      spec: lineSpec('Dice vs number of images of the new expert', 'images n', byImages),
      caption:
        'Fine-tuned from the multi-expert model vs trained from scratch on the same images; mean ± sd over the ways.',
    },
    {
      id: 'dice-vs-experts',
      title: 'Dice vs number of training experts',
      spec: lineSpec('Dice vs number of training experts', 'training experts k (0 = from scratch)', byExperts),
      caption:
        'Fine-tuned with a fixed number of images after multi-expert training on k experts; mean ± sd over the ways.',
    },
  ];
}

/** The study's report from its finished jobs; see the file comment. */
export function expertAdaptationReport(finished: FinishedStudy, s: ExpertAdaptationSettings): StudyReport {
  const records = finishedRecords(finished).cases;
  return {
    ...reportHeader(finished),
    notes: [
      'Can a network trained on several experts, with expert-specific instance norm and every other weight shared, adapt to a new expert from a few images better than training from scratch on them?',
      'Data: the multirater brain-growth phantom (QUBIQ-like neonatal brain slices, seven experts with their own styles) unless the study was run with --data; experts 1–5 train, 6 (close to one of them) and 7 (unlike all) are the new experts. The seed study used QUBIQ brain growth.',
      evaluationsFinished(finished),
    ],
    tables: [
      tableOne(records, s),
      ...s.newExperts.flatMap((e) => [tableTwo(records, s, e), tableThree(records, s, e)]),
    ],
    figures: figures(records, s),
  };
}
