/**
 * Annotators' confusion matrices of new images from a model folder trained with `--raters … --model annotator-cm`
 * (annotators.onnx + config.json): the image, normalised as in training, is covered by windows of the training
 * patch size (2D models: every slice), each window's per-pixel matrices are read at the voxels it is the first to
 * cover, and each annotator's image-averaged matrix is the mean of column j over the voxels p_θ labels j
 * (image-confusion-matrices.ts). Optionally the per-pixel maps, one volume per annotator with the L·L entries
 * (index i·L + j, CM[i][j] = P(says i | truth j)) on a 4th axis, on the image's grid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case, Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { Session } from '../nn/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { CMS_OUTPUT, type AnnotatorTrainConfig } from './annotator-graphs.ts';
import { ANNOTATORS_MODEL_FILE } from './annotator-training.ts';
import { ImageCmAccumulator } from './image-confusion-matrices.ts';
import { IMAGE_FEED, PROBABILITIES_OUTPUT } from '../train/index.ts';
import { normalizeIntensity } from '../data/index.ts';
import { predictImageCases, selectImageCases, windowStarts } from '../predict/index.ts';
import { CONFIG_FILE } from '../train/index.ts';

/** A loaded annotators.onnx with its run's settings. */
export interface AnnotatorsModel {
  /** The run's config.json: classes, patch size, normalisation and the annotators' settings. */
  config: AnnotatorTrainConfig;
  /** The compiled annotators.onnx; the caller releases it. */
  session: Session;
}

/** One image's annotator matrices. */
export interface AnnotatorCms {
  /** Rater ids in annotator order. */
  raters: string[];
  /** Label values of the matrix rows and columns. */
  labels: number[];
  /** Image-averaged matrix per rater id (null columns where p_θ never predicts the class). */
  confusionMatrices: Record<string, (number | null)[][]>;
  /** With `maps`: per annotator, [nx, ny, nz, L·L] float32 on the image's grid. */
  maps: Volume<Float32Array>[] | null;
}

/**
 * The settings of the annotator-cm run in `dir`, checked before anything is predicted: config.json must be an
 * annotator-cm run with learned (or globally fixed) matrices and `dir` must hold annotators.onnx. The per-pixel
 * oracle (`train --oracle`) is refused by name: its matrices were computed from the truth during training, not
 * learned, so it has none to predict.
 */
export function checkAnnotatorsModel(dir: string): AnnotatorTrainConfig {
  const configPath = join(dir, CONFIG_FILE);
  const modelPath = join(dir, ANNOTATORS_MODEL_FILE);
  const needs = `needs ${CONFIG_FILE} and ${ANNOTATORS_MODEL_FILE}, written by 'multirater train --raters … --model annotator-cm'`;
  if (!existsSync(configPath)) throw new MultiraterError('file_not_found', `${dir}: no annotator model (${needs})`);
  let config: AnnotatorTrainConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as AnnotatorTrainConfig;
  } catch {
    throw new MultiraterError('invalid_argument', `${configPath}: expected the JSON written by 'multirater train'`);
  }
  if (config.annotators?.method !== 'annotator-cm')
    throw new MultiraterError('invalid_argument', `${configPath}: not an annotator-cm run`);
  if (config.annotators.oracle === 'pixel') {
    throw new MultiraterError(
      'invalid_argument',
      `${dir}: trained with the oracle, whose per-pixel matrices come from the truth during training: an oracle model has no learned matrices to write to options.out (its segmentation network predicts labels: 'multirater predict --out')`,
    );
  }
  if (!existsSync(modelPath)) throw new MultiraterError('file_not_found', `${dir}: no annotator model (${needs})`);
  return config;
}

/** Loads `dir`/config.json and compiles `dir`/annotators.onnx (`checkAnnotatorsModel` first). */
export async function loadAnnotatorsModel(dir: string, threads?: number): Promise<AnnotatorsModel> {
  const config = checkAnnotatorsModel(dir);
  return { config, session: await Session.create(readFileSync(join(dir, ANNOTATORS_MODEL_FILE)), { threads }) };
}

/** The annotators' matrices of `image` (see the file comment). */
export async function predictAnnotatorCms(
  model: AnnotatorsModel,
  image: Volume,
  options: { maps?: boolean } = {},
): Promise<AnnotatorCms> {
  const { config, session } = model;
  const L = config.classes;
  const raters = config.annotators.raters;
  const R = raters.length;
  const float =
    image.data instanceof Float32Array
      ? image
      : createVolume(image.shape, Float32Array.from(image.data), { spacing: image.spacing, affine: image.affine });
  const x = normalizeIntensity(float as Volume<Float32Array>, config.normalization).data;
  const shape = [image.shape[0], image.shape[1] ?? 1, image.shape[2] ?? 1];
  const patch = [config.patchSize[0], config.patchSize[1], config.dims === 3 ? config.patchSize[2] : 1];
  const perPatch = patch[0] * patch[1] * patch[2];
  const voxels = x.length;
  const starts = [0, 1, 2].map((a) =>
    a === 2 && config.dims === 2 ? [...Array(shape[2]).keys()] : windowStarts(shape[a], patch[a]),
  );
  const covered = new Uint8Array(voxels);
  const maps = options.maps ? raters.map(() => new Float32Array(voxels * L * L)) : null;
  const acc = new ImageCmAccumulator(R, L);
  const input = new Float32Array(perPatch);
  const src = new Int32Array(perPatch);
  const reference = new Uint8Array(perPatch);
  for (const sz of starts[2])
    for (const sy of starts[1])
      for (const sx of starts[0]) {
        input.fill(0);
        for (let c = 0, d = 0; c < patch[2]; c++)
          for (let b = 0; b < patch[1]; b++)
            for (let a = 0; a < patch[0]; a++, d++) {
              const i = sx + a;
              const j = sy + b;
              const k = sz + c;
              const inside = i >= 0 && i < shape[0] && j >= 0 && j < shape[1] && k >= 0 && k < shape[2];
              src[d] = inside ? (k * shape[1] + j) * shape[0] + i : -1;
              if (inside) input[d] = x[src[d]];
            }
        const out = await session.run({
          [IMAGE_FEED]: { dtype: 'float32', shape: [1, 1, ...[...config.patchSize].reverse()], data: input },
        });
        const prob = out[PROBABILITIES_OUTPUT].data as Float32Array;
        const cms = out[CMS_OUTPUT].data as Float32Array;
        const global = cms.length === R * L * L;
        for (let d = 0; d < perPatch; d++) {
          const v = src[d];
          reference[d] = 255;
          if (v < 0 || covered[v]) continue;
          covered[v] = 1;
          let best = 0;
          for (let c = 1; c < L; c++) if (prob[c * perPatch + d] > prob[best * perPatch + d]) best = c;
          reference[d] = best;
          if (maps !== null)
            for (let r = 0; r < R; r++)
              for (let e = 0; e < L * L; e++)
                maps[r][e * voxels + v] = global ? cms[r * L * L + e] : cms[(r * L * L + e) * perPatch + d];
        }
        acc.add(cms, reference, 1);
      }
  const matrices = acc.matrices();
  const grid = { spacing: [image.spacing[0], image.spacing[1] ?? 1, image.spacing[2] ?? 1, 1], affine: image.affine };
  return {
    raters: [...raters],
    labels: [...Array(L).keys()],
    confusionMatrices: Object.fromEntries(raters.map((r, k) => [r, matrices[k]])),
    maps: maps === null ? null : maps.map((m) => createVolume([...shape, L * L], m, grid)),
  };
}

/** Options of `predictAnnotatorDataset` (`multirater predict --annotators`): which model, which cases, where to write. */
export interface PredictAnnotatorDatasetOptions {
  /** Model folder trained with --model annotator-cm. */
  model: string;
  /** Dataset folder. */
  data: string;
  /** Only cases of this split; default every case with an image. */
  split?: Split;
  /** Output folder: `<caseId>.json` per case and, with `maps`, `<caseId>_<rater>.nii.gz`. */
  out: string;
  /** Also write the per-pixel maps as NIfTI; default false. */
  maps?: boolean;
  /** ONNX Runtime threads; default the physical cores. */
  threads?: number;
}

/**
 * Checks everything `predictAnnotatorDataset` needs before it writes anything (the dataset, the selected cases,
 * `out` against every input, the model folder), so a caller writing other outputs first can refuse up front.
 */
export function checkAnnotatorDatasetPrediction(options: PredictAnnotatorDatasetOptions): void {
  selectAnnotatorCases(options);
}

function selectAnnotatorCases(options: PredictAnnotatorDatasetOptions): { cases: Case[]; images: string[] } {
  const { cases, images } = selectImageCases(options, [options.model]);
  checkAnnotatorsModel(options.model);
  return { cases, images };
}

/** Writes every selected case's annotator matrices (and maps) into `out`; returns the written paths. */
export async function predictAnnotatorDataset(options: PredictAnnotatorDatasetOptions): Promise<string[]> {
  const selected = selectAnnotatorCases(options);
  const model = await loadAnnotatorsModel(options.model, options.threads);
  try {
    return await predictImageCases(selected, { out: options.out }, async (image, c) => {
      const result = await predictAnnotatorCms(model, image, { maps: options.maps });
      const file = join(options.out, `${c.id}.json`);
      writeFileAtomic(
        file,
        JSON.stringify(
          {
            schemaVersion: 1,
            caseId: c.id,
            raters: result.raters,
            labels: result.labels,
            confusionMatrices: result.confusionMatrices,
          },
          null,
          2,
        ) + '\n',
      );
      const written = [file];
      result.maps?.forEach((m, r) => {
        const path = join(options.out, `${c.id}_${result.raters[r]}.nii.gz`);
        writeNifti(path, m);
        written.push(path);
      });
      return written;
    });
  } finally {
    await model.session.release();
  }
}
