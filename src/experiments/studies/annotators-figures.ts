/**
 * The annotators study's figures as Vega-Lite specs with inline data: the five annotators' true confusion matrices
 * beside those estimated by ours (dense regime, repeat 1, the λ > 0 of per-pixel CMs with the lowest CM error) and
 * by per-image STAPLE, as heat maps; and example test segmentations (image, truth, each method's prediction).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath } from '../../datasets/index.ts';
import { readVolume } from '../../io/index.ts';
import type { ReportFigure } from '../../report/index.ts';
import { jobDir, type Job } from '../job.ts';
import type { FinishedStudy } from '../study.ts';
import {
  annotatorModelMatrices,
  fusionMatrices,
  oursOfRepeatOne,
  studyDataset,
  type Matrices,
} from './annotators-report.ts';
import { ANNOTATORS, methodRows, type AnnotatorsSettings } from './annotators.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const CLASS_NAMES = ['bg', 'digit'];

/** Dense ours (per-pixel CMs, λ > 0) of repeat 1 with the lowest CM error. */
function bestOurs(finished: FinishedStudy): Job | null {
  const candidates = oursOfRepeatOne(finished, 'dense')
    .filter((o) => o.lambda > 0)
    .map((o) => o.job);
  const error = (j: Job) => (finished.done.get(j.key)!.result.cmError as number | null) ?? Infinity;
  return candidates.sort((a, b) => error(a) - error(b))[0] ?? null;
}

function cmFigure(finished: FinishedStudy, truth: Matrices | null): ReportFigure | null {
  const ours = bestOurs(finished);
  const sources: [string, Matrices | null][] = [
    ['true', truth],
    [
      ours === null ? 'ours' : `ours (${String(ours.tags.method).replace('ours-', 'λ = ')})`,
      ours === null ? null : annotatorModelMatrices(finished, ours),
    ],
  ];
  const staple = finished.plan.jobs.find(
    (j) => j.kind === 'fuse' && j.tags.fusion === 'staple' && j.tags.regime !== 'harsh',
  );
  if (staple !== undefined) sources.push(['STAPLE', fusionMatrices(finished, staple)]);
  const values: { source: string; annotator: string; truth: string; says: string; p: number | null }[] = [];
  for (const [source, m] of sources) {
    if (m === null) continue;
    ANNOTATORS.forEach((a, r) =>
      m[r].forEach((row, i) =>
        row.forEach((p, j) =>
          values.push({
            source,
            annotator: a,
            truth: CLASS_NAMES[j],
            says: CLASS_NAMES[i],
            p: p === null ? null : Math.round(p * 1000) / 1000,
          }),
        ),
      ),
    );
  }
  if (values.length === 0) return null;
  const enc = {
    x: { field: 'truth', type: 'nominal', sort: CLASS_NAMES, title: 'true class j' },
    y: { field: 'says', type: 'nominal', sort: CLASS_NAMES, title: 'annotator says i' },
  };
  return {
    id: 'confusion-matrices',
    title: 'Estimated vs true confusion matrices',
    spec: {
      $schema: SCHEMA,
      title: 'Confusion matrices CM[i][j] = P(annotator says i | truth j)',
      data: { values },
      facet: {
        row: { field: 'source', type: 'nominal', sort: sources.map(([s]) => s), title: null },
        column: { field: 'annotator', type: 'nominal', sort: ANNOTATORS, title: null },
      },
      spec: {
        width: 90,
        height: 90,
        layer: [
          {
            mark: 'rect',
            encoding: {
              ...enc,
              color: { field: 'p', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' }, title: 'P' },
            },
          },
          {
            mark: { type: 'text', fontSize: 11 },
            encoding: {
              ...enc,
              text: { field: 'p', type: 'quantitative', format: '.2f' },
              color: { condition: { test: 'datum.p > 0.5', value: 'white' }, value: 'black' },
            },
          },
        ],
      },
    },
    caption:
      "Column j of each matrix is the distribution of what the annotator says where the truth is j (columns sum to 1). True: measured by the simulator over all digits. Ours: image-level matrices of the annotator heads over the validation digits (dense regime, repeat 1). STAPLE: mean over the validation digits of each digit's own STAPLE estimate.",
  };
}

function segmentationFigure(finished: FinishedStudy, s: AnnotatorsSettings): ReportFigure | null {
  const data = studyDataset(finished);
  if (data === null || s.examples < 1) return null;
  const { dataset, root } = loadDataset(data);
  const test = dataset.cases.filter((c) => c.meta.split === 'test').slice(0, s.examples);
  const panels: { name: string; dir: string }[] = [];
  const ours = bestOurs(finished);
  for (const row of methodRows(s, 'dense')) {
    if (row.method.startsWith('ours') && (ours === null || row.method !== ours.tags.method)) continue;
    const job = finished.plan.jobs.find(
      (j) =>
        (j.kind === 'predict' || j.kind === 'predict-ensemble') &&
        j.tags.regime === 'dense' &&
        j.tags.method === row.method &&
        j.tags.repeat === 1,
    );
    if (job !== undefined && finished.done.has(job.key))
      panels.push({
        name: row.method.startsWith('ours') ? row.method.replace('ours-', 'ours λ=') : row.method,
        dir: join(jobDir(finished.out, job.key), 'pred'),
      });
  }
  if (panels.length === 0) return null;
  const values: { digit: string; panel: string; i: number; j: number; v: number }[] = [];
  const push = (digit: string, panel: string, voxels: ArrayLike<number>, nx: number) => {
    for (let v = 0; v < voxels.length; v++)
      if (voxels[v] > 0.05)
        values.push({
          digit,
          panel,
          i: v % nx,
          j: Math.floor(v / nx),
          v: Math.round(Math.min(1, voxels[v]) * 100) / 100,
        });
  };
  for (const c of test) {
    const image = readVolume(resolveCasePath(root, c.image!), { maxDims: 3 });
    push(c.id, 'image', image.data, image.shape[0]);
    if (c.truth !== undefined)
      push(c.id, 'truth', readVolume(resolveCasePath(root, c.truth), { maxDims: 3 }).data, image.shape[0]);
    for (const p of panels) {
      const file = join(p.dir, `${c.id}.nii.gz`);
      if (existsSync(file)) push(c.id, p.name, readVolume(file, { maxDims: 3 }).data, image.shape[0]);
    }
  }
  const order = ['image', 'truth', ...panels.map((p) => p.name)];
  return {
    id: 'example-segmentations',
    title: 'Example test segmentations (dense regime)',
    spec: {
      $schema: SCHEMA,
      title: "Example test digits: image, truth and each method's segmentation (dense regime, repeat 1)",
      data: { values },
      facet: {
        row: { field: 'digit', type: 'nominal', title: null },
        column: { field: 'panel', type: 'nominal', sort: order, title: null },
      },
      spec: {
        width: 84,
        height: 84,
        mark: 'rect',
        encoding: {
          x: { field: 'i', type: 'ordinal', scale: { domain: [...Array(28).keys()] }, axis: null },
          y: { field: 'j', type: 'ordinal', scale: { domain: [...Array(28).keys()] }, axis: null },
          color: { field: 'v', type: 'quantitative', scale: { domain: [0, 1], scheme: 'greys' }, legend: null },
        },
      },
    },
    caption: `The first ${test.length} test digits; grey levels for the image, black = digit for the label maps. Ours: the dense λ > 0 (per-pixel CMs) with the lowest CM error.`,
  };
}

/** The figures; see the file comment. */
export function annotatorsFigures(
  finished: FinishedStudy,
  settings: AnnotatorsSettings,
  truth: Matrices | null,
): ReportFigure[] {
  return [cmFigure(finished, truth), segmentationFigure(finished, settings)].filter(
    (f): f is ReportFigure => f !== null,
  );
}
