/**
 * One training batch, a pure function of (pool, options, iteration): sample b of batch k draws from
 * `new Rng(seed).fork('batch k').fork('sample b')`, so batch k is the same bytes whether the run got there
 * directly or resumed at k after a crash, and samples can be prepared one at a time.
 * Layout for ONNX Runtime: images NCHW [B, 1, py, px] (2D) or NCDHW [B, 1, pz, py, px] (3D) float32 — the last axis
 * is i, the volume's fastest — and labels [B, py, px] / [B, pz, py, px] uint8, no channel axis.
 * As nnU-Net, the last round(B · fraction) samples of a batch are centred on foreground.
 */
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/index.ts';
import {
  defaultAugmentation,
  drawAugmentation,
  type AugmentationConfig,
  type AugmentationParams,
} from '../augment/index.ts';
import { applyIntensityAugmentation } from '../augment/index.ts';
import { drawSampleLocation } from './sample-location.ts';
import type { PoolCase } from './sampling-pool.ts';
import { transformPatch } from '../augment/index.ts';

/** Options of `BatchLoader` and `prepareBatch`: patch and batch size, seed, sampling and augmentation. */
export interface BatchOptions {
  /** Patch size in voxels: [px, py] for 2D slices of the volumes, [px, py, pz] for 3D patches. */
  patchSize: number[];
  /** Samples per batch. */
  batchSize: number;
  /** Seed of the whole sequence of batches. */
  seed: number;
  /** Fraction (0–1) of each batch's samples centred on a labelled voxel; default 0.33 (nnU-Net). */
  foregroundOversampling?: number;
  /** 2D only: probability (0–1) that a drawn slice without any label is redrawn; default 0. */
  emptySliceSkipProbability?: number;
  /** Augmentation probabilities and ranges; default `defaultAugmentation(dims)`. */
  augmentation?: AugmentationConfig;
  /** Image value outside the volume (normalised intensity units); default 0. */
  padValue?: number;
  /** Voxels per patch axis by which uniform placement may overhang the volume on each side; default 0. */
  volumePadding?: number[];
}

/** What made one sample: its case and centre, and the augmentation parameters drawn. */
export interface SampleRecord {
  /** The case id from dataset.json. */
  caseId: string;
  /** Index of the case in the sampling pool. */
  caseIndex: number;
  /** Patch centre in source voxel indices (i, j, k); 2D: k is the slice. */
  centre: [number, number, number];
  /** True when the patch was centred on a labelled voxel. */
  foreground: boolean;
  /** The augmentation parameters drawn for this sample (identity for validation samples). */
  augmentation: AugmentationParams;
}

/** A batch ready to be wrapped in ONNX Runtime tensors. */
export interface Batch {
  /** The iteration this batch belongs to. */
  iteration: number;
  /** Float32 images, NCHW or NCDHW with C = 1. */
  image: Float32Array;
  /** [B, 1, py, px] or [B, 1, pz, py, px]. */
  imageShape: number[];
  /** Uint8 label maps, same order, no channel axis. */
  label: Uint8Array;
  /** [B, py, px] or [B, pz, py, px]. */
  labelShape: number[];
  /** One record per sample, in batch order. */
  samples: SampleRecord[];
}

/** Checks the options and returns the resolved ones. */
export function resolveBatchOptions(options: BatchOptions): Required<BatchOptions> {
  const p = options.patchSize;
  checkBatchGeometry(p, options.batchSize);
  if (!Number.isInteger(options.seed))
    throw new MultiraterError('invalid_argument', `seed must be an integer, got ${options.seed}`);
  const fg = options.foregroundOversampling ?? 0.33;
  const skip = options.emptySliceSkipProbability ?? 0;
  const volumePadding = options.volumePadding ?? Array(p.length).fill(0);
  if (volumePadding.length !== p.length || volumePadding.some((q) => !Number.isInteger(q) || q < 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `volume padding must be ${p.length} non-negative integers, got ${volumePadding.join(',')}`,
    );
  }
  for (const [name, v] of [
    ['foreground oversampling', fg],
    ['empty-slice skip probability', skip],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new MultiraterError('invalid_argument', `${name} must be within 0–1, got ${v}`);
  }
  return {
    patchSize: [...p],
    batchSize: options.batchSize,
    seed: options.seed,
    foregroundOversampling: fg,
    emptySliceSkipProbability: skip,
    augmentation: options.augmentation ?? defaultAugmentation(p.length as 2 | 3),
    padValue: options.padValue ?? 0,
    volumePadding: [...volumePadding],
  };
}

/** Throws `invalid_argument` unless the patch is 2 or 3 positive integers and the batch size a positive integer. */
export function checkBatchGeometry(patchSize: readonly number[], batchSize: number): void {
  const p = patchSize;
  if ((p.length !== 2 && p.length !== 3) || p.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new MultiraterError('invalid_argument', `patch size must be 2 or 3 positive integers, got ${p.join('×')}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MultiraterError('invalid_argument', `batch size must be a positive integer, got ${batchSize}`);
  }
}

/** An empty batch of the right shape for `iteration`. */
export function allocateBatch(options: Required<BatchOptions>, iteration: number): Batch {
  const p = options.patchSize;
  const b = options.batchSize;
  const spatial = [...p].reverse();
  const n = b * p.reduce((x, y) => x * y, 1);
  return {
    iteration,
    image: new Float32Array(n),
    imageShape: [b, 1, ...spatial],
    label: new Uint8Array(n),
    labelShape: [b, ...spatial],
    samples: [],
  };
}

/** Draws and writes sample `index` of `batch` (deterministic in seed, iteration and index). */
export function prepareSample(
  pool: readonly PoolCase[],
  options: Required<BatchOptions>,
  batch: Batch,
  index: number,
): SampleRecord {
  const p = options.patchSize;
  const dims = p.length as 2 | 3;
  const rng = new Rng(options.seed).fork(`batch ${batch.iteration}`).fork(`sample ${index}`);
  const forceForeground = index >= Math.round(options.batchSize * (1 - options.foregroundOversampling));
  const location = drawSampleLocation(pool, rng.fork('location'), {
    patchSize: p,
    forceForeground,
    emptySliceSkipProbability: options.emptySliceSkipProbability,
    volumePadding: options.volumePadding,
  });
  const augmentation = drawAugmentation(rng.fork('augmentation'), options.augmentation, dims);
  const offset = index * p.reduce((x, y) => x * y, 1);
  const source = pool[location.caseIndex];
  transformPatch(
    source,
    location.centre,
    p,
    augmentation.spatial,
    { image: batch.image, label: batch.label, offset },
    options.padValue,
  );
  applyIntensityAugmentation(batch.image, offset, p, augmentation.intensity);
  const record: SampleRecord = { caseId: source.id, ...location, augmentation };
  batch.samples[index] = record;
  return record;
}

/** Batch `iteration`, all samples, synchronously. */
export function prepareBatch(pool: readonly PoolCase[], options: BatchOptions, iteration: number): Batch {
  if (!Number.isInteger(iteration) || iteration < 0) {
    throw new MultiraterError('invalid_argument', `iteration must be a non-negative integer, got ${iteration}`);
  }
  const resolved = resolveBatchOptions(options);
  const batch = allocateBatch(resolved, iteration);
  for (let b = 0; b < resolved.batchSize; b++) prepareSample(pool, resolved, batch, b);
  return batch;
}
