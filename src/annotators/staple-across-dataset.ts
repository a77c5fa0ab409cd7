/**
 * STAPLE across a dataset's training set (`fusion/staple-across-cases.ts`: each annotator's confusion matrix shared
 * over the images it labelled, missing ratings skipped) in the regime of a multi-annotator run: with
 * `labelsPerImage: 1` each training image keeps the one annotator `keepOneLabelPerImage` draws with `seed` — the
 * same draw `trainAnnotators` makes with that seed, so a network trained on the fused labels sees what the
 * annotator model saw. The validation cases are fused on their own, with one label each under `labelsPerImage: 1`
 * (the trainer's validation draw, so selection sees what the annotator model's does), and the test cases on their
 * own with all their ratings; so the training set's matrices come from training ratings only. Writes a copy of the dataset with the rater
 * `fused-staple-across` (every case) into `outDir`, and returns the training set's matrices and their CM error.
 */
import { mkdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { mapCasePaths } from '../datasets/index.ts';
import { derivedSource } from '../datasets/index.ts';
import { loadDataset, resolveCasePath, saveDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { stapleAcrossCases } from '../fusion/index.ts';
import { writeNifti } from '../io/index.ts';
import { confusionMatrixRmse } from '../metrics/index.ts';
import { createVolume } from '../volume/index.ts';
import { trueConfusionMatrices } from './annotator-training.ts';
import { keepOneLabelPerImage, loadMultiRaterCases, type MultiRaterCase } from '../data/index.ts';

/** Rater id of the fused labels in the written dataset copy. */
export const STAPLE_ACROSS_RATER = 'fused-staple-across';

/** Options of `stapleAcrossDataset`: the dataset, where its fused copy goes, and the one-label regime. */
export interface StapleAcrossDatasetOptions {
  /** Dataset folder (with dataset.json); its cases must carry `split` (train, val, test). */
  data: string;
  /** Folder of the dataset copy; must differ from the dataset's folder. */
  outDir: string;
  /** Rater ids, in annotator order. */
  raters: string[];
  /** 'all' (default) or 1: each training image keeps one annotator's label, drawn with `seed`. */
  labelsPerImage?: 'all' | 1;
  /** Seed of the one-label draw; default 1. */
  seed?: number;
  /** Largest number of EM steps; default 100. */
  maxIterations?: number;
}

/** What `stapleAcrossDataset` wrote and estimated on the training set. */
export interface StapleAcrossDatasetResult {
  /** The written dataset.json. */
  dataset: string;
  /** The rater id added. */
  raterId: string;
  /** Per annotator (order of `raters`), the matrix estimated on the training set [L][L], null without ratings. */
  confusionMatrices: (number[][] | null)[];
  /** CM error of those matrices against the dataset's true ones (SPEC-metrics.md); null without them. */
  cmError: number | null;
  /** EM steps run on the training set. */
  iterations: number;
  /** Whether EM on the training set met its tolerance (no matrix entry moving by more than 1e-7) before `maxIterations`. */
  converged: boolean;
  /** With labelsPerImage 1: the rater each training case kept. */
  assignment: Record<string, string> | null;
}

/** Fuses as the file comment says. */
export function stapleAcrossDataset(options: StapleAcrossDatasetOptions): StapleAcrossDatasetResult {
  const loaded = loadDataset(options.data);
  const { dataset, root } = loaded;
  const outDir = resolve(options.outDir);
  if (outDir === root)
    throw new MultiraterError(
      'invalid_argument',
      `${outDir}: the STAPLE copy must go to a folder other than the dataset's`,
    );
  if (dataset.cases.some((c) => c.meta.split === undefined))
    throw new MultiraterError(
      'invalid_dataset',
      `${join(root, 'dataset.json')}: STAPLE across the training set needs every case's split`,
    );
  const classes = Math.max(...Object.keys(dataset.labels).map(Number)) + 1;
  let train = loadMultiRaterCases(loaded, { raters: options.raters, splits: ['train'] });
  let assignment: Record<string, string> | null = null;
  if (options.labelsPerImage === 1)
    ({ cases: train, assignment } = keepOneLabelPerImage(train, options.raters, options.seed ?? 1));
  let val = loadMultiRaterCases(loaded, { raters: options.raters, splits: ['val'] });
  if (options.labelsPerImage === 1)
    val = keepOneLabelPerImage(val, options.raters, options.seed ?? 1, 'labels-per-image:val').cases;
  const test = loadMultiRaterCases(loaded, { raters: options.raters, splits: ['test'] });
  const fuse = (cases: MultiRaterCase[]) =>
    stapleAcrossCases(
      cases.map((c) => c.raterLabels.map((l) => l?.data ?? null)),
      { classes, maxIterations: options.maxIterations },
    );
  const fusedTrain = fuse(train);
  const labels = new Map<string, Uint8Array>();
  const keep = (cases: MultiRaterCase[], fused: Uint8Array[]) => cases.forEach((c, n) => labels.set(c.id, fused[n]));
  keep(train, fusedTrain.labels);
  if (val.length > 0) keep(val, fuse(val).labels);
  if (test.length > 0) keep(test, fuse(test).labels);
  const grids = new Map([...train, ...val, ...test].map((c) => [c.id, c.label] as const));

  const raterId = STAPLE_ACROSS_RATER;
  mkdirSync(join(outDir, raterId), { recursive: true });
  const move = (p: string) => relative(outDir, resolveCasePath(root, p)).split(sep).join('/');
  const cases = dataset.cases.map((c) => {
    const moved = mapCasePaths(
      { ...c, raters: Object.fromEntries(Object.entries(c.raters).filter(([r]) => r !== raterId)) },
      move,
    );
    const fused = labels.get(c.id);
    if (fused === undefined) return moved;
    const grid = grids.get(c.id)!;
    const file = `${raterId}/${c.id.replace(/[^A-Za-z0-9._-]/g, '_')}.nii.gz`;
    writeNifti(
      join(outDir, file),
      createVolume([...grid.shape], fused, { spacing: grid.spacing, affine: grid.affine }),
    );
    return { ...moved, raters: { ...moved.raters, [raterId]: file } };
  });
  const file = saveDataset(outDir, {
    ...dataset,
    source: derivedSource(dataset, root, outDir),
    raters: dataset.raters.includes(raterId) ? dataset.raters : [...dataset.raters, raterId],
    cases,
  });
  const truth = trueConfusionMatrices(loaded, options.raters, classes);
  const estimated = fusedTrain.confusionMatrices;
  const cmError =
    truth === null || estimated.some((m) => m === null) ? null : confusionMatrixRmse(estimated as number[][][], truth);
  return {
    dataset: file,
    raterId,
    confusionMatrices: estimated,
    cmError,
    iterations: fusedTrain.iterations,
    converged: fusedTrain.converged,
    assignment,
  };
}
