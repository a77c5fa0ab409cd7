/**
 * The non-expert study's report: Tables 1–3 (LV, MYO, RV) per model × test set × training rater × loss, as mean ±
 * sd over the test cases (Dice, HD) or subjects (EF, EDV, mass), each case's value first averaged over repeats;
 * `*` marks p < 0.05 against the expert-trained model (CE+Dice), `†` p < 0.05 MAE+Dice against CE+Dice for the same
 * rater (two-sided paired t-tests over the same cases or subjects); every test with its Holm-adjusted p in the
 * table `tests`. Tables 4–5 separate noise type (systematic, random) from loss (`nonexpert-noise-table.ts`). Figures: Dice per slice position and per disease group (in-domain test set).
 */
import {
  testsTable,
  type ReportCell,
  type ReportColumn,
  type ReportTable,
  type StudyReport,
} from '../../report/index.ts';
import { holmAdjust } from '../../stats/index.ts';
import { summarize } from '../../stats/index.ts';
import type { TTestResult } from '../../stats/index.ts';
import { z } from 'zod';
import { formatSchemaIssue } from '../../datasets/index.ts';
import { MultiraterError } from '../../errors.ts';
import { finishedRecords, type EvaluationRecords } from '../evaluation-records.ts';
import { evaluationsFinished, reportHeader, type FinishedStudy } from '../study.ts';
import { lossLabel, nonexpertFigures } from './nonexpert-figures.ts';
import { nonexpertNoiseTables } from './nonexpert-noise-table.ts';
import type { NonexpertPlanSettings } from './nonexpert.ts';
import { pairedById } from './paired-by-id.ts';

/** Where a column's per-case (or per-subject) values come from. */
type Source =
  { from: 'case'; structure: string; metric: string } | { from: 'subject'; index: string; field: 'pred' | 'absError' };

interface MetricColumn extends ReportColumn {
  source: Source;
}

interface StructureTable {
  id: string;
  title: string;
  structure: string;
  columns: MetricColumn[];
}

const c = (structure: string, metric: string): Source => ({ from: 'case', structure, metric });
const s = (index: string, field: 'pred' | 'absError'): Source => ({ from: 'subject', index, field });

/** A clinical index's columns: its value and its absolute error against the truth (per subject). */
function clinical(key: string, label: string, unit: string, index: string): MetricColumn[] {
  return [
    { key, label: `${label} (${unit})`, decimals: 1, source: s(index, 'pred') },
    {
      key: `${key}Error`,
      label: `${label} abs. error (${unit})`,
      decimals: 1,
      lowerIsBetter: true,
      source: s(index, 'absError'),
    },
  ];
}

/** Dice and Hausdorff distance of a structure (per case). */
function overlap(structure: string): MetricColumn[] {
  return [
    { key: 'dice', label: 'Dice', decimals: 3, lowerIsBetter: false, source: c(structure, 'dice') },
    { key: 'hd', label: 'HD (mm)', decimals: 1, lowerIsBetter: true, source: c(structure, 'hd') },
  ];
}

function ventricle(prefix: 'lv' | 'rv', structure: string): MetricColumn[] {
  return [
    ...overlap(structure),
    ...clinical('ef', 'EF', '%', `${prefix}Ef_pct`),
    ...clinical('edv', 'EDV', 'mL', `${prefix}Edv_mL`),
  ];
}

const TABLES: StructureTable[] = [
  { id: 'table1-lv', title: 'Table 1. Left ventricle (LV)', structure: 'LV', columns: ventricle('lv', 'LV') },
  {
    id: 'table2-myo',
    title: 'Table 2. Myocardium (MYO)',
    structure: 'MYO',
    columns: [...overlap('MYO'), ...clinical('mass', 'mass', 'g', 'myoMass_g')],
  },
  { id: 'table3-rv', title: 'Table 3. Right ventricle (RV)', structure: 'RV', columns: ventricle('rv', 'RV') },
];

const arm = z.object({ model: z.string(), testSet: z.string(), rater: z.string(), loss: z.string() });
/** One row of Tables 1–3. */
type Arm = z.infer<typeof arm>;

const armKey = (a: Arm): string => `${a.model}|${a.testSet}|${a.rater}|${a.loss}`;

/** The arm an evaluation record's tags (the aggregate job's entry) name. */
function armOfTags(tags: Record<string, string | number>, id: string): Arm {
  const parsed = arm.safeParse(tags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MultiraterError(
    'invalid_record',
    `evaluation record of ${id}: ${formatSchemaIssue({ path: ['tags', ...issue.path], message: issue.message })}`,
  );
}

/** Values by case (or subject) id, averaged over repeats, for every arm. */
function valuesOf(records: EvaluationRecords, source: Source): Map<string, Map<string, number>> {
  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  const add = (tags: Record<string, string | number>, id: string, v: number | null | undefined): void => {
    if (v === null || v === undefined) return;
    const key = armKey(armOfTags(tags, id));
    const byId = sums.get(key) ?? new Map<string, { sum: number; n: number }>();
    sums.set(key, byId);
    const acc = byId.get(id) ?? { sum: 0, n: 0 };
    acc.sum += v;
    acc.n++;
    byId.set(id, acc);
  };
  if (source.from === 'case')
    for (const r of records.cases) add(r.tags, r.caseId, r.metrics[source.structure]?.[source.metric]);
  else
    for (const r of records.subjects)
      add(r.tags, r.subject, (r[source.field] as Record<string, number | null>)[source.index]);
  const out = new Map<string, Map<string, number>>();
  for (const [key, byId] of sums) {
    const ids = [...byId.keys()].sort();
    out.set(key, new Map(ids.map((id) => [id, byId.get(id)!.sum / byId.get(id)!.n])));
  }
  return out;
}

interface TestRecord {
  table: string;
  column: string;
  arm: Arm;
  mark: '*' | '†';
  against: string;
  result: TTestResult;
  pHolm: number | null;
}

/** The arms (rows) in plan order that have any records. */
function armsOf(settings: NonexpertPlanSettings, records: EvaluationRecords): Arm[] {
  const present = new Set(records.cases.map((r) => armKey(armOfTags(r.tags, r.caseId))));
  const arms: Arm[] = [];
  for (const model of settings.models)
    for (const testSet of settings.testSets)
      for (const a of settings.arms) arms.push({ model, testSet, rater: a.rater, loss: a.loss });
  return arms.filter((a) => present.has(armKey(a)));
}

/** The structure table's rows and its tests (raw p; Holm within the table and mark). */
function structureTable(
  t: StructureTable,
  arms: readonly Arm[],
  records: EvaluationRecords,
  repeats: number,
): { table: ReportTable; tests: TestRecord[] } {
  const values = new Map(t.columns.map((col) => [col.key, valuesOf(records, col.source)]));
  const tests: TestRecord[] = [];
  for (const arm of arms) {
    if (arm.rater === 'expert') continue;
    const expert = { ...arm, rater: 'expert', loss: 'ce+dice' };
    const ce = { ...arm, loss: 'ce+dice' };
    for (const col of t.columns) {
      const v = values.get(col.key)!;
      const test = (mark: TestRecord['mark'], against: Arm, label: string): void => {
        const result = pairedById(v.get(armKey(arm)), v.get(armKey(against)));
        if (result !== null)
          tests.push({ table: t.id, column: col.key, arm, mark, against: label, result, pHolm: null });
      };
      test('*', expert, `expert ${expert.loss}`);
      if (arm.loss === 'mae+dice') test('†', ce, `${arm.rater} ce+dice`);
    }
  }
  for (const mark of ['*', '†'] as const) {
    const family = tests.filter((x) => x.mark === mark);
    holmAdjust(family.map((x) => x.result.p)).forEach((p, i) => (family[i].pHolm = p));
  }
  const rows = arms.map((arm) => {
    const row: Record<string, ReportCell> = {
      model: arm.model,
      testSet: arm.testSet,
      rater: arm.rater,
      loss: lossLabel(arm.loss),
    };
    for (const col of t.columns) {
      const summary = summarize([...(values.get(col.key)!.get(armKey(arm))?.values() ?? [])]);
      const marks = tests
        .filter(
          (x) => x.column === col.key && armKey(x.arm) === armKey(arm) && x.result.p !== null && x.result.p < 0.05,
        )
        .map((x) => x.mark);
      row[col.key] = { mean: summary.mean, sd: summary.sd, n: summary.n, ...(marks.length > 0 ? { marks } : {}) };
    }
    return row;
  });
  const over = repeats > 1 ? `, each case's value first averaged over the ${repeats} repeats` : '';
  const table: ReportTable = {
    id: t.id,
    title: t.title,
    columns: [
      { key: 'model', label: 'model' },
      { key: 'testSet', label: 'test set' },
      { key: 'rater', label: 'trained on' },
      { key: 'loss', label: 'loss' },
      ...t.columns.map(({ source: _source, ...col }) => col),
    ],
    rows,
    footnotes: [
      `Mean ± sd over the test cases (Dice, HD: ED and ES cases) or test subjects (EF, EDV, mass)${over}; against each test set's own truth. HD is the Hausdorff distance (maximum surface distance).`,
      '* p < 0.05 against the model trained on the expert with CE+Dice (same model and test set): two-sided paired t-test over the same cases or subjects, unadjusted; Holm-adjusted p-values in table "tests".',
      '† p < 0.05 MAE+Dice against CE+Dice for the same rater, model and test set (same test).',
    ],
  };
  return { table, tests };
}

/** Table `tests`: every test of Tables 1–3, with the metric's label and the mark it gives where p < 0.05. */
function structureTests(tests: readonly TestRecord[], columnLabels: Map<string, string>): ReportTable {
  const rows = tests.map((x) => ({
    cells: {
      table: x.table,
      metric: columnLabels.get(`${x.table}:${x.column}`) ?? x.column,
      model: x.arm.model,
      testSet: x.arm.testSet,
      arm: `${x.arm.rater} ${x.arm.loss}`,
      against: x.against,
      mark: x.result.p !== null && x.result.p < 0.05 ? x.mark : '',
    },
    result: x.result,
    pHolm: x.pHolm,
  }));
  return testsTable(rows, {
    title: 'Paired t-tests behind the marks of Tables 1–3',
    columns: [
      { key: 'table', label: 'table' },
      { key: 'metric', label: 'metric' },
      { key: 'model', label: 'model' },
      { key: 'testSet', label: 'test set' },
      { key: 'arm', label: 'trained on' },
      { key: 'against', label: 'against' },
      { key: 'mark', label: 'mark (p < 0.05)' },
    ],
    footnotes: [
      'Two-sided paired t-tests over the cases or subjects both arms were evaluated on; mean difference = arm − against; the mark is shown where p < 0.05 (* against the expert, † MAE+Dice against CE+Dice). Holm adjustment within each table (LV, MYO, RV) and comparison (* or †) over all its metrics, models and test sets.',
    ],
  });
}

/** The study's report from its finished jobs; see the file comment. */
export function nonexpertReport(finished: FinishedStudy, settings: NonexpertPlanSettings): StudyReport {
  const records = finishedRecords(finished);
  const arms = armsOf(settings, records);
  const parts = TABLES.map((t) => structureTable(t, arms, records, settings.repeats));
  const labels = new Map(TABLES.flatMap((t) => t.columns.map((col) => [`${t.id}:${col.key}`, col.label] as const)));
  const dice = new Map(['LV', 'MYO', 'RV'].map((st) => [st, valuesOf(records, c(st, 'dice'))]));
  const noise = nonexpertNoiseTables(arms, settings.testSets, (a, st) => dice.get(st)?.get(armKey(a)));
  return {
    ...reportHeader(finished),
    notes: [
      "Does a network trained on non-experts' labels segment cardiac cine MRI as well as one trained on an expert's? Each model is trained on one rater's labels and tested against the truth of held-out in-domain subjects and of a shifted domain (other scanner vendors).",
      'Data: the multirater cardiac phantom (ACDC-like groups NOR/DCM/HCM/MINF/ARV) with simulated raters, unless the study was run with --data; the shifted domain is a second phantom of vendors C and D. The seed study used ACDC and M&Ms.',
      ...(noise !== null ? [noise.note] : []),
      evaluationsFinished(finished),
    ],
    tables: [
      ...parts.map((p) => p.table),
      structureTests(
        parts.flatMap((p) => p.tests),
        labels,
      ),
      ...(noise?.tables ?? []),
    ],
    figures: nonexpertFigures(records),
  };
}
