/**
 * The expert-adaptation study's report. Table I: each single-expert model on the test annotations of experts 6
 * and 7 (mean ± sd over the test images; ▲ the best of the column, ≈ not significantly different from it, two-sided
 * unpaired Welch t-test p ≥ 0.05). Tables II and III, per new expert: the metric of each way is the mean over its
 * test images, averaged over the expert combinations of the setting; mean ± sd over the ways; ‡ marks a
 * multi-expert (fine-tuned) result significantly better than from scratch with the same images (two-sided paired
 * t-test over the ways, p < 0.05). Figures: Dice against the number of fine-tuning images (with and without
 * multi-expert training) and against the number of training experts.
 */
import { join } from 'node:path';
import type { ReportCell, ReportFigure, ReportTable, StudyReport, SummaryCell } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import { pairedTTest, welchTTest } from '../../stats/index.ts';
import { finishedRecords, type CaseRecord } from '../evaluation-records.ts';
import { jobDir } from '../job.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import { expertAdaptationFindings } from './expert-adaptation-findings.ts';
import { expertAgreement, type ExpertAgreement } from './expert-agreement.ts';
import { meanSdLayers } from './mean-sd-layers.ts';
import type { ExpertAdaptationPlanSettings } from './expert-adaptation.ts';

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

function tableOne(records: readonly CaseRecord[], s: ExpertAdaptationPlanSettings): ReportTable {
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

/** The from-scratch arms: the same iterations as pre-training + fine-tuning, and training to convergence. */
const ARMS = [
  { method: 'scratch', mark: '‡', name: 'same iterations' },
  { method: 'scratch-converged', mark: '†', name: 'to convergence' },
] as const;
type Arm = (typeof ARMS)[number];

const armLabel = (arm: Arm, s: ExpertAdaptationPlanSettings): string =>
  arm.method === 'scratch'
    ? `scratch, ${s.scratchIterations} it`
    : `scratch to convergence (≤ ${s.convergence.maxIterations} it)`;

const isScratch = (expert: string, n: number, arm: Arm) => (r: CaseRecord) =>
  r.tags.method === arm.method && r.tags.newExpert === expert && r.tags.n === n;
const isTuned = (expert: string, n: number, k: number) => (r: CaseRecord) =>
  r.tags.method === 'finetune' && r.tags.newExpert === expert && r.tags.n === n && r.tags.k === k;

/** `mark` when `a` is significantly better than `b` over the ways (paired); the test's p. */
function betterThan(
  a: (number | null)[],
  b: (number | null)[],
  m: Metric,
  mark: string,
): { marks: string[]; p: number | null } {
  const t = pairedTTest(a, b);
  const better = t.meanDifference !== null && (m.lowerIsBetter ? t.meanDifference < 0 : t.meanDifference > 0);
  return { marks: better && t.p !== null && t.p < 0.05 ? [mark] : [], p: t.p };
}

/** Each arm's mark where `tuned` is significantly better than it, and each arm's p on Dice into `row`. */
function versusArms(
  row: Record<string, ReportCell>,
  tuned: (number | null)[],
  scratch: (arm: Arm) => (number | null)[],
  m: Metric,
): string[] {
  return ARMS.flatMap((arm) => {
    const test = betterThan(tuned, scratch(arm), m, arm.mark);
    if (m.key === 'dice') row[`p:${arm.method}`] = test.p;
    return test.marks;
  });
}

/** The footnotes on the scratch arms and their marks. */
function armFootnotes(s: ExpertAdaptationPlanSettings): string[] {
  const c = s.convergence;
  return [
    `Scratch, ${s.scratchIterations} it: trained from scratch on the same n images for as many iterations as pre-training (${s.train.iterations}) + fine-tuning (${s.finetune.iterations}). Scratch to convergence: up to ${c.maxIterations} iterations, validated every ${c.validateEvery} on the ${s.phantom.valCases} validation images of the new expert (its own labels, not test images), stopped after ${c.patience} validations without a better mean Dice, keeping the best; "stopped at" is the mean over the ways of the iterations it ran.`,
    '‡ fine-tuned significantly better than scratch with the same iterations, † than scratch to convergence (two-sided paired t-tests over the ways, p < 0.05); the p columns are those tests on Dice.',
  ];
}

/** Mean over the ways of the iterations the converged arm ran (from its jobs' results); null when none finished. */
function stoppedAt(finished: FinishedStudy, expert: string, n: number): number | null {
  const ran = finished.plan.jobs
    .filter(
      (j) =>
        j.kind === 'train' && j.tags.method === 'scratch-converged' && j.tags.newExpert === expert && j.tags.n === n,
    )
    .map((j) => finished.done.get(j.key)?.result.iterations)
    .map((v) => (typeof v === 'number' ? v : null));
  return mean(ran);
}

function tableTwo(
  finished: FinishedStudy,
  records: readonly CaseRecord[],
  s: ExpertAdaptationPlanSettings,
  expert: string,
): ReportTable {
  const k = s.tableTwoExperts;
  const rows = s.samples.map((n) => {
    const row: Record<string, ReportCell> = { n };
    for (const m of METRICS) {
      const tuned = wayValues(records, isTuned(expert, n, k), s.runWays, m);
      const scratch = (arm: Arm) => wayValues(records, isScratch(expert, n, arm), s.runWays, m);
      row[`multi:${m.key}`] = cell(tuned, versusArms(row, tuned, scratch, m));
      for (const arm of ARMS) row[`${arm.method}:${m.key}`] = cell(scratch(arm));
    }
    row.stoppedAt = stoppedAt(finished, expert, n);
    return row;
  });
  return {
    id: `table2-finetune-${expert}`,
    title: `Table II. Adapting to ${expert}: the ${k}-expert model fine-tuned with n of its images vs two from-scratch arms on them (${ARMS.map((a) => armLabel(a, s)).join('; ')})`,
    columns: [
      { key: 'n', label: 'images n', decimals: 0 },
      ...METRICS.flatMap((m) => [
        {
          key: `multi:${m.key}`,
          label: `${m.label} multi-expert`,
          decimals: m.decimals,
          lowerIsBetter: m.lowerIsBetter,
        },
        ...ARMS.map((arm) => ({
          key: `${arm.method}:${m.key}`,
          label: `${m.label} ${armLabel(arm, s)}`,
          decimals: m.decimals,
          lowerIsBetter: m.lowerIsBetter,
        })),
      ]),
      ...ARMS.map((arm) => ({ key: `p:${arm.method}`, label: `p vs ${armLabel(arm, s)} (Dice)`, decimals: 4 })),
      { key: 'stoppedAt', label: 'scratch to convergence: stopped at (it)', decimals: 0 },
    ],
    rows,
    footnotes: [
      `Mean ± sd over the ${s.runWays.length} ways of the sub-set rule (ways ${s.runWays.map((w) => w + 1).join(', ')} of ${s.ways}); each way's value is the mean over the test images of ${expert}, averaged over the ${k}-expert combinations run${s.maxCombinations === null ? ' (all C(5, k))' : ` (at most ${s.maxCombinations})`}.`,
      ...armFootnotes(s),
    ],
  };
}

function tableThree(records: readonly CaseRecord[], s: ExpertAdaptationPlanSettings, expert: string): ReportTable {
  const n = s.tableThreeSamples;
  const scratchOf = (m: Metric) => (arm: Arm) => wayValues(records, isScratch(expert, n, arm), s.runWays, m);
  const rows = s.expertCounts.flatMap((k): Record<string, ReportCell>[] => {
    if (k === 0)
      return ARMS.map((arm) => ({
        k,
        arm: armLabel(arm, s),
        ...Object.fromEntries(METRICS.map((m) => [m.key, cell(scratchOf(m)(arm))])),
      }));
    const row: Record<string, ReportCell> = { k, arm: 'fine-tuned' };
    for (const m of METRICS) {
      const v = wayValues(records, isTuned(expert, n, k), s.runWays, m);
      row[m.key] = cell(v, versusArms(row, v, scratchOf(m), m));
    }
    return [row];
  });
  return {
    id: `table3-experts-${expert}`,
    title: `Table III. Adapting to ${expert} with ${n} images after training on k experts (k = 0: the two from-scratch arms, ${ARMS.map((a) => armLabel(a, s)).join('; ')})`,
    columns: [
      { key: 'k', label: 'training experts k', decimals: 0 },
      { key: 'arm', label: 'model' },
      ...METRICS.map((m) => ({ key: m.key, label: m.label, decimals: m.decimals, lowerIsBetter: m.lowerIsBetter })),
      ...ARMS.map((arm) => ({ key: `p:${arm.method}`, label: `p vs ${armLabel(arm, s)} (Dice)`, decimals: 4 })),
    ],
    rows,
    footnotes: [
      `Mean ± sd over the ${s.runWays.length} ways; each way's value averaged over the k-expert combinations run.`,
      ...armFootnotes(s),
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
      layer: meanSdLayers(x, 'Dice (%), mean ± sd over ways', { color }),
    },
  };
}

function figures(records: readonly CaseRecord[], s: ExpertAdaptationPlanSettings): ReportFigure[] {
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
      const scratch = ARMS.map((arm) =>
        linePoint(wayValues(records, isScratch(e, n, arm), s.runWays, dice), n, armLabel(arm, s), e),
      );
      for (const p of [a, ...scratch]) if (p !== null) byImages.push(p);
    }
    for (const k of s.expertCounts) {
      const v =
        k === 0
          ? wayValues(records, isScratch(e, s.tableThreeSamples, ARMS[0]), s.runWays, dice)
          : wayValues(records, isTuned(e, s.tableThreeSamples, k), s.runWays, dice);
      const p = linePoint(v, k, `${s.tableThreeSamples} images`, e);
      if (p !== null) byExperts.push(p);
    }
    const converged = linePoint(
      wayValues(records, isScratch(e, s.tableThreeSamples, ARMS[1]), s.runWays, dice),
      0,
      armLabel(ARMS[1], s),
      e,
    );
    if (converged !== null && s.expertCounts.includes(0)) byExperts.push(converged);
  }
  return [
    {
      id: 'dice-vs-images',
      title: 'Dice vs number of fine-tuning images',
      spec: lineSpec('Dice vs number of images of the new expert', 'images n', byImages),
      caption:
        'Fine-tuned from the multi-expert model vs the two from-scratch arms (same iterations as pre-training + fine-tuning; to convergence on validation images of the new expert) on the same images; mean ± sd over the ways.',
    },
    {
      id: 'dice-vs-experts',
      title: 'Dice vs number of training experts',
      spec: lineSpec('Dice vs number of training experts', 'training experts k (0 = from scratch)', byExperts),
      caption: `Fine-tuned with a fixed number of images after multi-expert training on k experts; k = 0 is ${armLabel(ARMS[0], s)} on the line, ${armLabel(ARMS[1], s)} the separate point; mean ± sd over the ways.`,
    },
  ];
}

/** The dataset folder the study ran on: its simulate job's, or the `--data` given; null before it exists. */
function studyData(finished: FinishedStudy): string | null {
  const sim = finished.plan.jobs.find((j) => j.kind === 'simulate');
  if (sim === undefined) return finished.plan.options.data ?? null;
  return finished.done.has(sim.key) ? join(jobDir(finished.out, sim.key), 'data') : null;
}

/** Mean of the pair means among `experts` (each unordered pair once); null for fewer than two. */
function meanPairDice(agreement: ExpertAgreement, experts: readonly string[]): number | null {
  const at = experts.map((e) => agreement.experts.indexOf(e)).filter((i) => i >= 0);
  return mean(at.flatMap((a, i) => at.slice(i + 1).map((b) => mean(agreement.dice[a][b]))));
}

/** The inter-expert agreement: Dice of every pair of experts on the training images, mean ± sd over the images. */
function agreementTable(agreement: ExpertAgreement, s: ExpertAdaptationPlanSettings): ReportTable {
  const { experts, dice } = agreement;
  const within = meanPairDice(agreement, s.trainingExperts);
  return {
    id: 'expert-agreement',
    title: `Inter-expert agreement: Dice (%) of every pair of experts on the ${agreement.caseIds.length} training images (mean over ${s.trainingExperts.join(', ')}: ${within === null ? '–' : (100 * within).toFixed(2)} %)`,
    columns: [
      { key: 'expert', label: 'expert' },
      ...experts.map((e) => ({ key: e, label: e, decimals: 2, lowerIsBetter: false })),
    ],
    rows: experts.map((a, i) => ({
      expert: a,
      ...Object.fromEntries(experts.map((b, j) => [b, cell(dice[i][j].map((d) => 100 * d))])),
    })),
    footnotes: [
      "Mean ± sd over the training images of the Dice between two experts' annotations of the same image (foreground: any label).",
      `Mean over the ${(s.trainingExperts.length * (s.trainingExperts.length - 1)) / 2} pairs of the training experts ${s.trainingExperts.join(', ')}: ${within === null ? '–' : (100 * within).toFixed(2)} %.`,
    ],
  };
}

/** The study's report from its finished jobs; see the file comment. */
export function expertAdaptationReport(finished: FinishedStudy, s: ExpertAdaptationPlanSettings): StudyReport {
  const records = finishedRecords(finished).cases;
  const data = studyData(finished);
  const agreement = data === null ? null : expertAgreement(data, s.allExperts);
  const within = agreement === null ? null : meanPairDice(agreement, s.trainingExperts);
  const tables = [
    tableOne(records, s),
    ...s.newExperts.flatMap((e) => [tableTwo(finished, records, s, e), tableThree(records, s, e)]),
    ...(agreement === null ? [] : [agreementTable(agreement, s)]),
  ];
  const arms = ARMS.map((arm) => ({ method: arm.method, label: armLabel(arm, s) }));
  return {
    ...reportHeader(finished),
    notes: [
      'Can a network trained on several experts, with expert-specific instance norm and every other weight shared, adapt to a new expert from a few images better than training from scratch on them?',
      'Data: the multirater brain-growth phantom (QUBIQ-like neonatal brain slices, seven experts with their own styles, their lengths in pixels of the grid so they differ at every resolution) unless the study was run with --data; experts 1–5 train, 6 (close to one of them) and 7 (unlike all) are the new experts. The seed study used QUBIQ brain growth.',
      `How distinct the experts are: the agreement table gives the Dice of every pair on the training images${within === null ? '' : `; the mean over the pairs of ${s.trainingExperts.join(', ')} is ${(100 * within).toFixed(2)} %`}.`,
      `Tables II and III hold both from-scratch arms: "${armLabel(ARMS[0], s)}" has the compute of pre-training + fine-tuning (${s.train.iterations} + ${s.finetune.iterations} iterations), "${armLabel(ARMS[1], s)}" trains until the Dice on validation images of the new expert stops improving (the seed trains its scratch model to convergence); ‡ and † mark fine-tuning significantly better than each.`,
      ...expertAdaptationFindings(tables, s.newExperts, arms),
      evaluationsFinished(finished),
    ],
    tables,
    figures: figures(records, s),
  };
}
