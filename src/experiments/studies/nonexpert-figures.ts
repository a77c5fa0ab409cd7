/**
 * The non-expert study's figures as Vega-Lite specs with inline data: mean ± sd Dice per slice position (base, mid,
 * apex) and per disease group, per structure and training rater (and loss), pooled over models and repeats, on the
 * in-domain test set.
 */
import type { ReportFigure } from '../../report/index.ts';
import { summarize } from '../../stats/index.ts';
import type { CaseRecord, EvaluationRecords } from '../evaluation-records.ts';

const STRUCTURES = ['LV', 'MYO', 'RV'];
const POSITIONS = ['base', 'mid', 'apex'];
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** `ce+dice` → `CE+Dice`. */
export const lossLabel = (loss: string): string => ({ 'ce+dice': 'CE+Dice', 'mae+dice': 'MAE+Dice' })[loss] ?? loss;

const trainedOn = (r: CaseRecord): string => `${r.tags.rater} (${lossLabel(String(r.tags.loss))})`;

interface Point {
  structure: string;
  x: string;
  trainedOn: string;
  mean: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

/** Mean ± sd of `value(case, structure)` per structure × x × training arm, in a fixed order. */
function points(
  cases: readonly CaseRecord[],
  xs: readonly string[],
  xOf: (r: CaseRecord) => string | null,
  value: (r: CaseRecord, structure: string, x: string) => number | null,
): Point[] {
  const arms = [...new Set(cases.map(trainedOn))].sort();
  const out: Point[] = [];
  for (const structure of STRUCTURES) {
    for (const x of xs) {
      for (const arm of arms) {
        const vals = cases
          .filter((r) => trainedOn(r) === arm && (xOf(r) ?? x) === x)
          .map((r) => value(r, structure, x));
        const sm = summarize(vals);
        if (sm.n === 0) continue;
        const sd = sm.sd ?? 0;
        // Dice lives in [0, 1]: the ± sd bar is clipped there.
        out.push({
          structure,
          x,
          trainedOn: arm,
          mean: sm.mean,
          lo: Math.max(0, sm.mean! - sd),
          hi: Math.min(1, sm.mean! + sd),
          n: sm.n,
        });
      }
    }
  }
  return out;
}

function errorBarSpec(
  title: string,
  xTitle: string,
  xs: readonly string[],
  values: Point[],
  mark: 'line' | 'bar',
): Record<string, unknown> {
  const x = { field: 'x', type: 'ordinal', sort: xs, title: xTitle, axis: { labelAngle: 0 } };
  const color = { field: 'trainedOn', type: 'nominal', title: 'trained on', legend: { labelLimit: 300 } };
  const offset = mark === 'bar' ? { xOffset: { field: 'trainedOn', type: 'nominal' } } : {};
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { column: { field: 'structure', type: 'nominal', sort: STRUCTURES, title: null } },
    spec: {
      width: 180,
      height: 200,
      layer: [
        {
          mark: mark === 'line' ? { type: 'line', point: true } : { type: 'bar' },
          encoding: {
            x,
            ...offset,
            y: { field: 'mean', type: 'quantitative', title: 'Dice (mean ± sd)', scale: { domain: [0, 1] } },
            color,
          },
        },
        {
          mark: { type: 'errorbar' },
          encoding: {
            x,
            ...offset,
            y: { field: 'lo', type: 'quantitative', title: 'Dice (mean ± sd)' },
            y2: { field: 'hi' },
            color,
          },
        },
      ],
    },
  };
}

/** The two figures; see the file comment. */
export function nonexpertFigures(records: EvaluationRecords): ReportFigure[] {
  const cases = records.cases.filter((r) => r.tags.testSet === 'in-domain');
  const bySlice = points(
    cases,
    POSITIONS,
    () => null,
    (r, structure, x) => r.regions?.[x]?.[structure] ?? null,
  );
  const groups = [...new Set(cases.map((r) => r.group ?? 'unknown'))].sort();
  const byGroup = points(
    cases,
    groups,
    (r) => r.group ?? 'unknown',
    (r, structure) => r.metrics[structure]?.dice ?? null,
  );
  return [
    {
      id: 'dice-by-slice',
      title: 'Dice by slice position',
      spec: errorBarSpec('Dice by slice position (in-domain test set)', 'slice position', POSITIONS, bySlice, 'line'),
      caption:
        "Mean ± sd over test cases, pooled over models and repeats, of the Dice within the basal, mid and apical thirds of each reference's slices.",
    },
    {
      id: 'dice-by-group',
      title: 'Dice by disease group',
      spec: errorBarSpec('Dice by disease group (in-domain test set)', 'disease group', groups, byGroup, 'bar'),
      caption:
        'Mean ± sd over test cases, pooled over models and repeats; NOR normal, DCM dilated, HCM hypertrophic cardiomyopathy, MINF previous infarction, ARV abnormal right ventricle.',
    },
  ];
}
