/**
 * Learned registration, VoxelMorph-style: training on intra-subject pairs of cine frames (unsupervised; with
 * `segmentationWeight` > 0, every other batch is an ED↔ES pair with its labels for the Dice term), Adam at 1e-4
 * (Balakrishnan et al. 2019), and inference that turns the network's flow into a DisplacementField (mm). A model
 * folder holds `model.onnx` (the forward graph, runnable by any ONNX runtime) and `registration.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset, resolveCasePath, type LoadedDataset, type Split } from '../datasets/index.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { resolveVoxelMorphOptions, type VoxelMorphOptions } from '../models/index.ts';
import { initParams } from '../nn/index.ts';
import { adam } from '../nn/index.ts';
import { Session } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { TrainingSession } from '../nn/index.ts';
import { runTrainingLoop } from '../train/index.ts';
import { Rng } from '../random/index.ts';
import { extractFrame } from '../volume/index.ts';
import { formatShape, type Volume } from '../volume/index.ts';
import { cineSubjects } from './cine-subjects.ts';
import { REGISTRATION_CONFIG_FILE, REGISTRATION_ONNX_FILE } from './registration-model-files.ts';
import type { DisplacementField } from './displacement-field.ts';
import {
  cropFrom,
  FIXED_FEED,
  FIXED_LABELS_FEED,
  FLOW_OUTPUT,
  MOVING_FEED,
  MOVING_LABELS_FEED,
  normalizeFrame,
  padInto,
  paddedSide,
  registrationInferenceModel,
  registrationLossGraph,
  SEGMENTATION_WEIGHT_FEED,
  type LearnedRegistrationConfig,
} from './learned-model.ts';
import { stackSliceFields } from './warp-volume.ts';

/** Options of `trainRegistration` (`multirater register train`): pairs, schedule, loss weights, network and seed. */
export interface TrainRegistrationOptions {
  /** 2 (default): slice-wise pairs of [i, j] slices; 3: pairs of whole frames. */
  dims?: 2 | 3;
  /** Training steps (batches); default 1000. */
  steps?: number;
  /** Pairs per batch; default 8 (2D) or 1 (3D). */
  batchSize?: number;
  /** Adam learning rate; default 1e-4. */
  learningRate?: number;
  /** 'ncc' (default: local NCC, window 9) or 'mse'. */
  similarity?: 'ncc' | 'mse';
  /** Weight of the velocity's l2 smoothness; default 0.01. */
  smoothnessWeight?: number;
  /** Weight of the Dice term on warped labels (VoxelMorph's 0.01 when used); default 0 (unsupervised). */
  segmentationWeight?: number;
  /** Label source of the Dice term: a rater id or 'truth'; default the dataset's first rater. */
  labels?: string;
  /** Cases of these splits are used; default train (all cases when none has a split). */
  splits?: Split[];
  /** Network channels (VoxelMorph's defaults otherwise). */
  network?: Omit<VoxelMorphOptions, 'dims'>;
  /** Seed of the initial weights and the pair sampling; default 1. */
  seed?: number;
  /** ONNX Runtime threads; default: physical cores. */
  threads?: number;
  /** Called after every step. */
  onStep?: (step: number, steps: number, loss: number) => void;
}

/** What `trainRegistration` wrote and how the run went. */
export interface TrainRegistrationResult {
  /** Model folder written. */
  dir: string;
  /** The model's settings, as written to registration.json. */
  config: LearnedRegistrationConfig;
  /** Training steps run (batches). */
  steps: number;
  /** Mean loss of the last 20 steps. */
  finalLoss: number;
  /** Cine series (subjects) the pairs were drawn from. */
  subjects: number;
  /** Wall time of the whole call, dataset loading and model export included, seconds. */
  seconds: number;
}

interface Series {
  /** Normalised frames, NIfTI order. */
  frames: Float32Array[];
  /** Spatial shape [nx, ny, nz]. */
  spatial: number[];
  /** Labelled frames: frame index → label map data. */
  labels: Map<number, ArrayLike<number>>;
}

function loadSeries(
  loaded: LoadedDataset,
  o: TrainRegistrationOptions,
  needLabels: boolean,
): { series: Series[]; classes: number } {
  let subjects = cineSubjects(loaded, o.splits ?? ['train']);
  if (o.splits === undefined && subjects.length === 0) subjects = cineSubjects(loaded);
  if (subjects.length === 0)
    throw new MultiraterError(
      'invalid_dataset',
      `${loaded.root}/dataset.json: no training case names a cine series (meta.cine)`,
    );
  const source = o.labels ?? loaded.dataset.raters[0] ?? 'truth';
  const classes = Math.max(1, ...Object.keys(loaded.dataset.labels).map(Number)) + 1;
  const series = subjects.map((s) => {
    const cine = readVolume(s.cinePath);
    if (cine.shape.length !== 4 || cine.shape[3] < 2)
      throw new MultiraterError(
        'dimension_mismatch',
        `${s.cinePath}: cine must be 4D with at least 2 frames, got ${formatShape(cine.shape)}`,
      );
    const frames = Array.from({ length: cine.shape[3] }, (_, t) => normalizeFrame(extractFrame(cine, t).data));
    const labels = new Map<number, ArrayLike<number>>();
    if (needLabels) {
      for (const f of s.frames) {
        const path = source === 'truth' ? f.case.truth : f.case.raters[source];
        if (path !== undefined) labels.set(f.frameIndex, readLabelMap(resolveCasePath(loaded.root, path)).data);
      }
    }
    return { frames, spatial: cine.shape.slice(0, 3), labels };
  });
  return { series, classes };
}

/** hot[q] = 1 where labels[from + q] is `label`, else 0. */
function oneHot(labels: ArrayLike<number>, from: number, label: number, hot: Float32Array): void {
  for (let q = 0; q < hot.length; q++) hot[q] = labels[from + q] === label ? 1 : 0;
}

/** Writes image (and one-hot label) pairs of `batch` into the feeds; `labelled` picks pairs of two labelled frames. */
function fillBatch(
  series: readonly Series[],
  config: LearnedRegistrationConfig,
  rng: Rng,
  feeds: Record<string, TensorData>,
  labelled: boolean,
): void {
  const per = config.tensorShape.reduce((a, b) => a * b, 1);
  const moving = feeds[MOVING_FEED].data as Float32Array;
  const fixed = feeds[FIXED_FEED].data as Float32Array;
  const batch = moving.length / per;
  moving.fill(0);
  fixed.fill(0);
  const ml = labelled ? (feeds[MOVING_LABELS_FEED].data as Float32Array) : null;
  const fl = labelled ? (feeds[FIXED_LABELS_FEED].data as Float32Array) : null;
  ml?.fill(0);
  fl?.fill(0);
  const pool = labelled ? series.filter((s) => s.labels.size >= 2) : series;
  for (let b = 0; b < batch; b++) {
    const s = pool[rng.int(pool.length)];
    const choices = labelled ? [...s.labels.keys()] : s.frames.map((_, t) => t);
    const ia = rng.int(choices.length);
    const a = choices[ia];
    const c = choices[(ia + 1 + rng.int(choices.length - 1)) % choices.length];
    const [nx, ny, nz] = s.spatial;
    const slice = config.dims === 2 ? rng.int(nz) : -1;
    const take = (data: Float32Array): Float32Array =>
      slice < 0 ? data : data.subarray(slice * nx * ny, (slice + 1) * nx * ny);
    const sp = config.dims === 2 ? [nx, ny] : [nx, ny, nz];
    padInto(take(s.frames[a]), sp, config.tensorShape, moving, b * per);
    padInto(take(s.frames[c]), sp, config.tensorShape, fixed, b * per);
    if (ml && fl) {
      const la = s.labels.get(a) as ArrayLike<number>;
      const lc = s.labels.get(c) as ArrayLike<number>;
      const block = sp.reduce((x, y) => x * y, 1);
      const from = slice < 0 ? 0 : slice * block;
      const hot = new Float32Array(block);
      for (let k = 0; k < config.classes; k++) {
        oneHot(la, from, k, hot);
        padInto(hot, sp, config.tensorShape, ml, (b * config.classes + k) * per);
        oneHot(lc, from, k, hot);
        padInto(hot, sp, config.tensorShape, fl, (b * config.classes + k) * per);
      }
    }
  }
}

/** Trains a VoxelMorph model on the cine frames of the dataset at `dataDir` and writes it to `outDir`. */
export async function trainRegistration(
  dataDir: string,
  outDir: string,
  options: TrainRegistrationOptions = {},
): Promise<TrainRegistrationResult> {
  const started = performance.now();
  const dims = options.dims ?? 2;
  const steps = options.steps ?? 1000;
  if (dims !== 2 && dims !== 3)
    throw new MultiraterError('invalid_argument', `register train: dims must be 2 or 3, got ${dims}`);
  if (!Number.isInteger(steps) || steps < 1)
    throw new MultiraterError('invalid_argument', `register train: steps must be a positive integer, got ${steps}`);
  const segmentationWeight = options.segmentationWeight ?? 0;
  const loaded = loadDataset(dataDir);
  assertFolderOutsideInputs('options.outDir', outDir, datasetInputs(loaded));
  const { series, classes } = loadSeries(loaded, options, segmentationWeight > 0);
  if (segmentationWeight > 0 && !series.some((s) => s.labels.size >= 2)) {
    throw new MultiraterError(
      'invalid_dataset',
      `${dataDir}: the Dice term needs subjects with two labelled frames (${options.labels ?? 'first rater'})`,
    );
  }
  const network = resolveVoxelMorphOptions({ ...options.network, dims });
  const maxSide = (a: number) => Math.max(...series.map((s) => s.spatial[a]));
  const spatial = dims === 2 ? [maxSide(0), maxSide(1)] : [maxSide(0), maxSide(1), maxSide(2)];
  const config: LearnedRegistrationConfig = {
    dims,
    network,
    tensorShape: spatial.map((n) => paddedSide(n, network)).reverse(),
    similarity: options.similarity ?? 'ncc',
    nccWindow: 9,
    smoothnessWeight: options.smoothnessWeight ?? 0.01,
    segmentationWeight,
    classes,
  };
  const batch = options.batchSize ?? (dims === 2 ? 8 : 1);
  const seed = options.seed ?? 1;
  const { graph, loss } = registrationLossGraph(config, batch);
  const trainer = await TrainingSession.create(graph, loss, {
    optimizer: adam(),
    params: initParams(graph, seed),
    threads: options.threads,
  });
  const per = config.tensorShape.reduce((a, b) => a * b, 1);
  const imageShape = [batch, 1, ...config.tensorShape];
  const feeds: Record<string, TensorData> = {
    [MOVING_FEED]: { dtype: 'float32', shape: imageShape, data: new Float32Array(batch * per) },
    [FIXED_FEED]: { dtype: 'float32', shape: imageShape, data: new Float32Array(batch * per) },
  };
  if (segmentationWeight > 0) {
    const labelShape = [batch, classes, ...config.tensorShape];
    feeds[MOVING_LABELS_FEED] = { dtype: 'float32', shape: labelShape, data: new Float32Array(batch * classes * per) };
    feeds[FIXED_LABELS_FEED] = { dtype: 'float32', shape: labelShape, data: new Float32Array(batch * classes * per) };
  }
  const rng = new Rng(seed).fork('registration-pairs');
  const learningRate = options.learningRate ?? 1e-4;
  let finalLoss: number;
  try {
    // Step s (1-based) is the loop's iteration s − 1; with the Dice term, every even step is a labelled pair.
    const result = await runTrainingLoop<number, never>({
      session: trainer,
      out: outDir,
      iterations: steps,
      batches: function* (start, end) {
        for (let i = start; i < end; i++) yield i;
      },
      feeds: (i) => {
        const labelled = segmentationWeight > 0 && (i + 1) % 2 === 0;
        fillBatch(series, config, rng, feeds, labelled);
        if (segmentationWeight > 0)
          feeds[SEGMENTATION_WEIGHT_FEED] = {
            dtype: 'float32',
            shape: [],
            data: Float32Array.of(labelled ? segmentationWeight : 0),
          };
        return feeds;
      },
      learningRate: () => learningRate,
      onEvent: (e) => {
        if (e.type === 'step') options.onStep?.(e.iteration + 1, steps, e.loss);
      },
    });
    finalLoss = result.recentLoss as number;
    writeRegistrationModel(outDir, config, trainer.params());
  } finally {
    await trainer.release();
  }
  return {
    dir: outDir,
    config,
    steps,
    finalLoss,
    subjects: series.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Writes `model.onnx` and `registration.json` into `dir` (each written to a temporary name, then renamed). */
export function writeRegistrationModel(
  dir: string,
  config: LearnedRegistrationConfig,
  params: ReadonlyMap<string, Float32Array>,
): void {
  writeFileAtomic(join(dir, REGISTRATION_ONNX_FILE), registrationInferenceModel(config, params));
  writeFileAtomic(join(dir, REGISTRATION_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
}

/** A loaded learned registration model. */
export interface RegistrationModel {
  /** The folder's registration.json: dims, padded tensor shape (the largest grid the model takes) and network. */
  config: LearnedRegistrationConfig;
  /** The compiled model.onnx; the caller releases it. */
  session: Session;
  /** The model folder, as given (named in error messages). */
  dir: string;
}

/** Loads a model folder written by `trainRegistration`. */
export async function loadRegistrationModel(dir: string, threads?: number): Promise<RegistrationModel> {
  let config: LearnedRegistrationConfig;
  let model: Uint8Array;
  try {
    config = JSON.parse(readFileSync(join(dir, REGISTRATION_CONFIG_FILE), 'utf8'));
    model = readFileSync(join(dir, REGISTRATION_ONNX_FILE));
  } catch (e) {
    throw new MultiraterError(
      'file_not_found',
      `${dir}: not a registration model folder (${(e as Error).message.split('\n')[0]})`,
    );
  }
  return { config, session: await Session.create(model, { threads }), dir };
}

/**
 * The learned field registering `moving` onto `fixed` (same 3D, or 2D, grid), in mm: a 2D model runs on every
 * slice (one batch) and gives no through-slice motion; a 3D model runs on the whole volume.
 */
export async function registerLearned(
  model: RegistrationModel,
  fixed: Volume,
  moving: Volume,
): Promise<DisplacementField> {
  const { config } = model;
  const spatial = fixed.shape.slice(0, 3);
  const [nx, ny] = spatial;
  const nz = spatial[2] ?? 1;
  const needed = config.dims === 2 ? [nx, ny] : [nx, ny, nz];
  const room = [...config.tensorShape].reverse();
  if (needed.some((n, a) => n > room[a]) || (config.dims === 3 && fixed.shape.length !== 3)) {
    throw new MultiraterError(
      'grid_mismatch',
      `${model.dir}: the model takes grids up to ${formatShape(room)}, got ${formatShape(fixed.shape)}`,
    );
  }
  const per = config.tensorShape.reduce((a, b) => a * b, 1);
  const batch = config.dims === 2 ? nz : 1;
  const f = normalizeFrame(fixed.data);
  const m = normalizeFrame(moving.data);
  const mi = new Float32Array(batch * per);
  const fi = new Float32Array(batch * per);
  const block = config.dims === 2 ? nx * ny : nx * ny * nz;
  for (let b = 0; b < batch; b++) {
    padInto(m.subarray(b * block, (b + 1) * block), needed, config.tensorShape, mi, b * per);
    padInto(f.subarray(b * block, (b + 1) * block), needed, config.tensorShape, fi, b * per);
  }
  const shape = [batch, 1, ...config.tensorShape];
  const out = await model.session.run(
    { [MOVING_FEED]: { dtype: 'float32', shape, data: mi }, [FIXED_FEED]: { dtype: 'float32', shape, data: fi } },
    [FLOW_OUTPUT],
  );
  const flow = out[FLOW_OUTPUT].data as Float32Array;
  const d = config.dims;
  // Flow channel c runs along tensor axis c, i.e. NIfTI axis d − 1 − c; voxels × spacing = mm.
  const fieldOf = (b: number): DisplacementField => {
    const components = Array.from({ length: d }, (_, axis) => {
      const c = cropFrom(flow, (b * d + (d - 1 - axis)) * per, needed, config.tensorShape);
      const s = fixed.spacing[axis];
      for (let p = 0; p < c.length; p++) c[p] *= s;
      return c;
    });
    return { shape: needed, spacing: fixed.spacing.slice(0, d), affine: fixed.affine.map((r) => [...r]), components };
  };
  if (config.dims === 3 || fixed.shape.length === 2) return fieldOf(0);
  return stackSliceFields(
    Array.from({ length: nz }, (_, b) => fieldOf(b)),
    fixed,
  );
}
