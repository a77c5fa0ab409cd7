/**
 * Prediction with a trained model folder (model.onnx + config.json from `train`): each image is normalised as in
 * training, covered by windows of the training patch size (2D models: every slice; 3D: sliding window, see
 * `sliding-window.ts`), optionally mirrored for test-time augmentation (every combination of in-plane flips for
 * 2D, of all three axes for 3D, averaged as nnU-Net), blended with Gaussian weights into class probabilities on
 * the image's own grid, then arg-maxed to labels (optionally keeping each label's largest connected component).
 * Outputs carry the input's shape, spacing and affine, so they overlay the image exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { assertNiftiOutput, assertOutputsDistinct } from '../io/index.ts';
import { join } from 'node:path';
import type { Case } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { readVolume } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { Session } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { keepLargestComponents } from './largest-component.ts';
import { EXPERT_FEED, IMAGE_FEED, PROBABILITIES_OUTPUT } from '../train/index.ts';
import { normalizeIntensity } from '../data/index.ts';
import { gaussianImportance, windowStarts } from './sliding-window.ts';
import { predictImageCases } from './predict-image-cases.ts';
import { selectImageCases } from './select-image-cases.ts';
import type { TrainConfig } from '../train/index.ts';
import type { Split } from '../datasets/index.ts';
import { CONFIG_FILE, MODEL_FILE } from '../train/index.ts';

/** A trained model ready to predict. */
export interface TrainedModel {
  /** The folder's config.json: classes, dims, patch size, normalisation, experts. */
  config: TrainConfig;
  /** ONNX Runtime session on the folder's model.onnx; release it when done. */
  session: Session;
  /** Model folder. */
  dir: string;
}

/** Options of `predictVolume` and `predictProbabilities` (and of every call that predicts through them). */
export interface PredictOptions {
  /** Average over mirrored inputs; default false. */
  tta?: boolean;
  /** 'labels' (default, uint8 arg-max) or 'probabilities' (float32, classes on a 4th axis). */
  output?: 'labels' | 'probabilities';
  /** Keep each label's largest face-connected component (labels output only); default false. */
  largestComponent?: boolean;
  /** Multi-expert model (conditional instance norm): the expert whose branch predicts; default the only one. */
  rater?: string;
}

/** The expert slot `rater` selects in a multi-expert model; null for models without an expert input. */
export function expertSlot(model: TrainedModel, rater: string | undefined): number | null {
  if (!model.session.inputNames.includes(EXPERT_FEED)) {
    if (rater !== undefined && rater !== model.config.labelSource)
      throw new MultiraterError(
        'invalid_argument',
        `${model.dir}: this model has no expert branches (trained on "${model.config.labelSource}"); drop options.rater`,
      );
    return null;
  }
  const experts = model.config.experts ?? [];
  if (rater === undefined) {
    if (experts.length === 1) return 0;
    throw new MultiraterError(
      'invalid_argument',
      `${model.dir}: a multi-expert model; choose an expert branch with options.rater (one of ${experts.join(', ')})`,
    );
  }
  const slot = experts.indexOf(rater);
  if (slot < 0)
    throw new MultiraterError(
      'invalid_argument',
      `${model.dir}: no expert branch "${rater}" (experts: ${experts.join(', ')})`,
    );
  return slot;
}

/** The settings of the trained model folder `dir`: config.json and model.onnx must be there, config.json readable. */
export function checkModelFolder(dir: string): TrainConfig {
  const configPath = join(dir, CONFIG_FILE);
  const modelPath = join(dir, MODEL_FILE);
  if (!existsSync(configPath) || !existsSync(modelPath))
    throw new MultiraterError(
      'file_not_found',
      `${dir}: not a trained model folder (needs ${CONFIG_FILE} and ${MODEL_FILE}, written by 'multirater train')`,
    );
  let config: TrainConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as TrainConfig;
  } catch {
    throw new MultiraterError('invalid_argument', `${configPath}: expected the JSON written by 'multirater train'`);
  }
  if (config.format !== 'multirater-model')
    throw new MultiraterError(
      'invalid_argument',
      `${configPath}: format is "${String(config.format)}", expected "multirater-model"`,
    );
  return config;
}

/** Loads `dir`/config.json and compiles `dir`/model.onnx (`checkModelFolder` first). */
export async function loadTrainedModel(dir: string, threads?: number): Promise<TrainedModel> {
  const config = checkModelFolder(dir);
  return { config, session: await Session.create(readFileSync(join(dir, MODEL_FILE)), { threads }), dir };
}

interface Window {
  start: [number, number, number];
  flip: [boolean, boolean, boolean];
}

/** Class probabilities [C][voxels] (class-major, voxel order of `image`) of `image` under `model`. */
export async function predictProbabilities(
  model: TrainedModel,
  image: Volume,
  options: PredictOptions = {},
): Promise<Float32Array> {
  const { config, session } = model;
  const slot = expertSlot(model, options.rater);
  if (image.shape.length > 3)
    throw new MultiraterError(
      'invalid_argument',
      `image of shape ${image.shape.join('×')}: prediction needs a 2D or 3D image`,
    );
  const float =
    image.data instanceof Float32Array
      ? image
      : createVolume(image.shape, Float32Array.from(image.data), { spacing: image.spacing, affine: image.affine });
  const x = normalizeIntensity(float, config.normalization).data;
  const shape: [number, number, number] = [image.shape[0], image.shape[1] ?? 1, image.shape[2] ?? 1];
  const patch: [number, number, number] = [
    config.patchSize[0],
    config.patchSize[1],
    config.dims === 3 ? config.patchSize[2] : 1,
  ];
  const flipAxes = options.tta ? (config.dims === 3 ? [0, 1, 2] : [0, 1]) : [];
  const flips: [boolean, boolean, boolean][] = [];
  for (let m = 0; m < 1 << flipAxes.length; m++)
    flips.push(
      [0, 1, 2].map((a) => flipAxes.includes(a) && (m & (1 << flipAxes.indexOf(a))) !== 0) as [
        boolean,
        boolean,
        boolean,
      ],
    );
  const starts = [0, 1, 2].map((a) =>
    a === 2 && config.dims === 2 ? [...Array(shape[2]).keys()] : windowStarts(shape[a], patch[a]),
  );
  const windows: Window[] = [];
  for (const z of starts[2])
    for (const y of starts[1])
      for (const xs of starts[0]) for (const flip of flips) windows.push({ start: [xs, y, z], flip });

  const classes = config.classes;
  const voxels = x.length;
  const perPatch = patch[0] * patch[1] * patch[2];
  const weight = gaussianImportance(patch);
  const acc = new Float32Array(classes * voxels);
  const norm = new Float32Array(voxels);
  const batch = config.batchSize;
  const src = new Int32Array(perPatch);
  for (let first = 0; first < windows.length; first += batch) {
    const chunk = windows.slice(first, first + batch);
    const input = new Float32Array(chunk.length * perPatch);
    const inputShape = [chunk.length, 1, ...[...config.patchSize].reverse()];
    chunk.forEach((w, s) => {
      windowSources(shape, w, patch, src);
      const offset = s * perPatch;
      for (let d = 0; d < perPatch; d++) if (src[d] >= 0) input[offset + d] = x[src[d]];
    });
    const feeds: Record<string, TensorData> = { [IMAGE_FEED]: { dtype: 'float32', shape: inputShape, data: input } };
    if (slot !== null)
      feeds[EXPERT_FEED] = {
        dtype: 'int64',
        shape: [chunk.length],
        data: new BigInt64Array(chunk.length).fill(BigInt(slot)),
      };
    const out = await session.run(feeds, [PROBABILITIES_OUTPUT]);
    const probs = out[PROBABILITIES_OUTPUT].data as Float32Array;
    chunk.forEach((w, s) => {
      windowSources(shape, w, patch, src);
      for (let d = 0; d < perPatch; d++) {
        const v = src[d];
        if (v < 0) continue;
        const wt = weight[d];
        norm[v] += wt;
        const base = s * classes * perPatch + d;
        for (let c = 0; c < classes; c++) acc[c * voxels + v] += wt * probs[base + c * perPatch];
      }
    });
  }
  for (let v = 0; v < voxels; v++) {
    const inv = norm[v] > 0 ? 1 / norm[v] : 0;
    for (let c = 0; c < classes; c++) acc[c * voxels + v] *= inv;
  }
  return acc;
}

/** Fills `src[d]` with the volume index of patch voxel d of window `w` (mirrored as `w.flip` says), −1 outside. */
function windowSources(shape: readonly number[], w: Window, patch: readonly number[], src: Int32Array): void {
  const [sx, sy, sz] = w.start;
  let d = 0;
  for (let c = 0; c < patch[2]; c++) {
    const k = sz + (w.flip[2] ? patch[2] - 1 - c : c);
    for (let b = 0; b < patch[1]; b++) {
      const j = sy + (w.flip[1] ? patch[1] - 1 - b : b);
      const inside = k >= 0 && k < shape[2] && j >= 0 && j < shape[1];
      const row = (k * shape[1] + j) * shape[0];
      for (let a = 0; a < patch[0]; a++, d++) {
        const i = sx + (w.flip[0] ? patch[0] - 1 - a : a);
        src[d] = inside && i >= 0 && i < shape[0] ? row + i : -1;
      }
    }
  }
}

/** The prediction of `image` as a volume on its grid: uint8 labels, or float32 probabilities [..., C]. */
export async function predictVolume(model: TrainedModel, image: Volume, options: PredictOptions = {}): Promise<Volume> {
  const probs = await predictProbabilities(model, image, options);
  const classes = model.config.classes;
  const voxels = probs.length / classes;
  const grid = { spacing: image.spacing, affine: image.affine };
  if (options.output === 'probabilities') {
    const shape = [image.shape[0], image.shape[1] ?? 1, image.shape[2] ?? 1, classes];
    const spacing = [image.spacing[0], image.spacing[1] ?? 1, image.spacing[2] ?? 1, 1];
    return createVolume(shape, probs, { spacing, affine: image.affine });
  }
  const labels = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[c * voxels + v] > probs[best * voxels + v]) best = c;
    labels[v] = best;
  }
  const out = createVolume([...image.shape], labels, grid);
  if (options.largestComponent) keepLargestComponents(out);
  return out;
}

/** Options of `predictDataset` and `checkDatasetPrediction`: model, dataset, output folder and runtime. */
export interface PredictDatasetOptions extends PredictOptions {
  /** Trained model folder. */
  model: string;
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Only cases of this split; default every case with an image. */
  split?: Split;
  /** Output folder: one `<caseId>.nii.gz` per case. */
  out: string;
  /** ONNX Runtime threads; default the physical cores. */
  threads?: number;
  /** Called after each case. */
  onCase?: (caseId: string, done: number, total: number) => void;
}

/**
 * Checks everything `predictDataset` needs before it writes anything (the dataset, the selected cases and their
 * images, `out` against every input, the model folder), so a caller writing other outputs too can refuse up front.
 */
export function checkDatasetPrediction(options: PredictDatasetOptions): void {
  selectPredictionCases(options);
}

function selectPredictionCases(options: PredictDatasetOptions): { cases: Case[]; images: string[] } {
  const { root, cases, images } = selectImageCases(options, [options.model]);
  assertOutputsDistinct(
    cases.map((c) => ['prediction', join(options.out, `${c.id}.nii.gz`)] as const),
    [...images, join(root, 'dataset.json')],
  );
  checkModelFolder(options.model);
  const missing = images.find((p) => !existsSync(p));
  if (missing) throw new MultiraterError('file_not_found', `${missing}: image listed in dataset.json not found`);
  return { cases, images };
}

/** Predicts every selected case of a dataset into `out/<caseId>.nii.gz`; returns the written paths. */
export async function predictDataset(options: PredictDatasetOptions): Promise<string[]> {
  const selected = selectPredictionCases(options);
  const model = await loadTrainedModel(options.model, options.threads);
  try {
    return await predictImageCases(selected, options, async (image, c) => {
      const path = join(options.out, `${c.id}.nii.gz`);
      writeNifti(path, await predictVolume(model, image, options));
      return [path];
    });
  } finally {
    await model.session.release();
  }
}

/** Options of `predictFile`: model, one input image, the output path and runtime. */
export interface PredictFileOptions extends PredictOptions {
  /** Trained model folder (model.onnx + config.json). */
  model: string;
  /** Image file to predict (at most 3D). */
  image: string;
  /** Output file, .nii or .nii.gz; must not be the image or a model file. */
  out: string;
  /** ONNX Runtime intra-op threads; default the physical cores. */
  threads?: number;
}

/** Predicts one image file into `out` (.nii or .nii.gz). */
export async function predictFile(options: PredictFileOptions): Promise<string> {
  assertNiftiOutput('options.out', options.out);
  assertOutputsDistinct(
    [['options.out', options.out]],
    [options.image, join(options.model, 'model.onnx'), join(options.model, 'config.json')],
  );
  const image = readVolume(options.image, { maxDims: 3 });
  const model = await loadTrainedModel(options.model, options.threads);
  try {
    writeNifti(options.out, await predictVolume(model, image, options));
    return options.out;
  } finally {
    await model.session.release();
  }
}
