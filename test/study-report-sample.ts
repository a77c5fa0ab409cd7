/** A small hand-built study report for the report tests: one table of summaries with marks, one figure per spec builder. */
import { boxPlotSpec, errorBarSpec, linePlotSpec } from '../src/report/figure-specs.ts';
import type { ReportProvenance, ReportTable, StudyReport } from '../src/report/report-types.ts';

export const SAMPLE_TABLE: ReportTable = {
  id: 'table1-lv',
  title: 'LV, in-domain test subjects',
  columns: [
    { key: 'rater', label: 'trained on' },
    { key: 'dice', label: 'LV Dice', lowerIsBetter: false },
    { key: 'hd', label: 'HD (mm)', lowerIsBetter: true, decimals: 1 },
    { key: 'n', label: 'n', decimals: 0 },
  ],
  rows: [
    { rater: 'expert', dice: { mean: 0.9123, sd: 0.0311, n: 12 }, hd: { mean: 4.25, sd: 1.04, n: 12 }, n: 12 },
    {
      rater: 'nonexpert1, "30 min"',
      dice: { mean: 0.9001, sd: 0.04, n: 12, marks: ['*'] },
      hd: { mean: 5.5, sd: null, n: 12, marks: ['*', '†'] },
      n: 12,
    },
    { rater: 'nonexpert2', dice: { mean: null, sd: null, n: 0 }, hd: null, n: 12 },
  ],
  footnotes: ['Mean ± sd over test subjects.', '* p < 0.05 vs expert, paired t-test.'],
};

const dice = ['NOR', 'DCM', 'HCM'].flatMap((group, g) =>
  ['expert', 'nonexpert1'].flatMap((rater, r) =>
    [0, 1, 2, 3].map((i) => ({ group, rater, dice: 0.95 - 0.03 * g - 0.05 * r + 0.01 * i })),
  ),
);

export const SAMPLE_REPORT: StudyReport = {
  study: 'sample',
  title: 'A <sample> study & its report',
  preset: 'smoke',
  settings: { models: ['unet2d'], raters: ['expert', 'nonexpert1'], iterations: 20 },
  packageVersion: '0.1.0',
  seeds: [1, 2],
  wallSecondsByKind: { train: 61.25, evaluate: 3.5 },
  tables: [SAMPLE_TABLE],
  figures: [
    {
      id: 'dice-box',
      title: 'Dice per disease group',
      spec: boxPlotSpec({
        data: dice,
        group: { field: 'group', title: 'disease group' },
        value: { field: 'dice', title: 'Dice' },
        series: { field: 'rater', title: 'trained on' },
      }),
    },
    {
      id: 'dice-error',
      title: 'Mean ± sd Dice',
      spec: errorBarSpec({
        data: dice,
        group: { field: 'group' },
        value: { field: 'dice', title: 'Dice' },
        series: { field: 'rater' },
      }),
      caption: 'Mean ± sample sd over test subjects.',
    },
    {
      id: 'hd-by-slice',
      title: 'HD per slice position',
      spec: linePlotSpec({
        data: ['base', 'mid', 'apex'].flatMap((p, k) =>
          ['expert', 'nonexpert1'].map((rater, r) => ({ p, rater, hd: 3 + k + 2 * r, sd: 0.5 })),
        ),
        x: { field: 'p', type: 'ordinal', order: ['base', 'mid', 'apex'], title: 'slice position' },
        y: { field: 'hd', title: 'HD', unit: 'mm', zero: true },
        series: { field: 'rater' },
        band: { sd: 'sd' },
      }),
    },
  ],
  notes: ['Smoke preset: numbers are not meaningful.'],
};

/** A provenance as `writeStudyReport` adds it (one worker of two threads on a 2-core machine). */
export const SAMPLE_PROVENANCE: ReportProvenance = {
  commit: { sha: '5accbeaf543994f940f00eced0c7221de9bdfd7f', dirty: false },
  date: '2026-12-07T08:43:58.201Z',
  machine: { cores: 2, cpuModel: 'AMD EPYC', memoryGiB: 23.5, platform: 'linux-x64', node: 'v20.20.2' },
  command: 'multirater study run sample --preset smoke --out runs/sample',
  workers: 1,
  threads: 2,
};
