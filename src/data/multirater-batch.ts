/**
 * Training batches carrying every annotator's label: sample b of batch k is drawn exactly as `prepareSample` draws it
 * (case, centre and augmentation from `new Rng(seed).fork('batch k').fork('sample b')`, foreground oversampling on the
 * union of the annotators' labels), and each annotator's label map is then resampled with the same spatial
 * parameters, so all labels stay aligned with the image. Layout: image [B, 1, spatial…] float32, labels
 * [B, R, spatial…] uint8 (0 where missing), mask [B, R] float32 (1 where annotator r labelled the sample's case),
 * and with `withTruth` the truth [B, spatial…] uint8, resampled the same way (0 where a case has none; the pixel
 * oracle's matrices). Validation batches (`multiRaterValidationBatches`) have the same layout, at the unaugmented
 * locations of `validationBatches`.
 */
import {
  allocateBatch,
  prepareSample,
  resolveBatchOptions,
  type BatchOptions,
  type SampleRecord,
} from './prepare-batch.ts';
import { buildSamplingPool, type PoolCase } from './sampling-pool.ts';
import { transformPatch, type SpatialParams } from '../augment/index.ts';
import type { MultiRaterCase } from './multirater-cases.ts';
import { validationBatches, type ValidationBatchOptions } from './validation-batches.ts';

/** One batch with all annotators' labels. */
export interface MultiRaterBatch {
  /** Training iteration the batch belongs to; for validation batches, the batch's index in validation order. */
  iteration: number;
  /** Float32 images (normalised intensities), sample-major, C = 1. */
  image: Float32Array;
  /** [B, 1, spatial…]. */
  imageShape: number[];
  /** Uint8 labels, annotator-major within each sample. */
  labels: Uint8Array;
  /** [B, R, spatial…]. */
  labelsShape: number[];
  /** 1 where the annotator labelled the sample's case. */
  mask: Float32Array;
  /** [B, R]. */
  maskShape: number[];
  /** With `withTruth`: the truth, [B, spatial…]; else null. */
  truth: Uint8Array | null;
  /** What made each sample (case, centre, augmentation), in batch order. */
  samples: SampleRecord[];
}

/** Draws multi-annotator batches from fixed cases; a pure function of (seed, iteration). */
export class MultiRaterBatchLoader {
  /** The cases indexed for sampling; foreground is the union of the annotators' labels. */
  readonly pool: PoolCase[];
  private readonly options: Required<BatchOptions>;

  /**
   * Indexes `cases` for sampling; `raters` is R, the number of annotator slots (the length of each case's
   * `raterLabels`), and `withTruth` also resamples each case's truth into the batch.
   */
  constructor(
    private readonly cases: readonly MultiRaterCase[],
    private readonly raters: number,
    options: BatchOptions,
    private readonly withTruth = false,
  ) {
    this.options = resolveBatchOptions(options);
    this.pool = buildSamplingPool(cases);
  }

  /** Batch `iteration`. */
  batch(iteration: number): MultiRaterBatch {
    const o = this.options;
    const base = allocateBatch(o, iteration);
    const perSample = o.patchSize.reduce((a, b) => a * b, 1);
    const R = this.raters;
    const labels = new Uint8Array(o.batchSize * R * perSample);
    const mask = new Float32Array(o.batchSize * R);
    const truth = this.withTruth ? new Uint8Array(o.batchSize * perSample) : null;
    for (let b = 0; b < o.batchSize; b++) {
      const record = prepareSample(this.pool, o, base, b);
      cutLabels(
        this.cases[record.caseIndex],
        this.pool[record.caseIndex],
        record,
        o.patchSize,
        R,
        b,
        { labels, mask, truth },
        o.padValue,
      );
    }
    const spatial = base.labelShape.slice(1);
    return {
      iteration,
      image: base.image,
      imageShape: base.imageShape,
      labels,
      labelsShape: [o.batchSize, R, ...spatial],
      mask,
      maskShape: [o.batchSize, R],
      truth,
      samples: base.samples,
    };
  }
}

/**
 * Sample b's annotator labels, mask and (when `into.truth` is given) truth, resampled as the sample's image was:
 * at `record`'s centre with its spatial parameters.
 */
function cutLabels(
  c: MultiRaterCase,
  source: PoolCase,
  record: { centre: readonly [number, number, number]; augmentation: { spatial: SpatialParams } },
  patchSize: readonly number[],
  raters: number,
  b: number,
  into: { labels: Uint8Array; mask: Float32Array; truth: Uint8Array | null },
  padValue: number,
): void {
  const perSample = patchSize.reduce((x, y) => x * y, 1);
  const scratch = new Float32Array(perSample);
  const resample = (label: Uint8Array, target: Uint8Array): void =>
    transformPatch(
      { ...source, label },
      record.centre,
      patchSize,
      record.augmentation.spatial,
      { image: scratch, label: target, offset: 0 },
      padValue,
    );
  c.raterLabels.forEach((l, r) => {
    if (l === null) return;
    into.mask[b * raters + r] = 1;
    resample(l.data, into.labels.subarray((b * raters + r) * perSample, (b * raters + r + 1) * perSample));
  });
  if (into.truth !== null && c.truth !== null)
    resample(c.truth.data, into.truth.subarray(b * perSample, (b + 1) * perSample));
}

/** A validation batch with every annotator's label, and `reference`: the pool's label (what the Dice is reported against). */
export interface MultiRaterValidationBatch extends MultiRaterBatch {
  /** The pool's label per sample, [B, spatial…] uint8 (the validation batch's `label`). */
  reference: Uint8Array;
}

/**
 * The validation batches of `cases` (`pool` is built from them, with the reference label each case is reported
 * against): every slice or tile, unaugmented, in `validationBatches`' order, with each annotator's label and mask
 * and, with `withTruth`, the truth (the pixel oracle's validation loss).
 */
export function* multiRaterValidationBatches(
  cases: readonly MultiRaterCase[],
  pool: readonly PoolCase[],
  raters: number,
  options: ValidationBatchOptions,
  withTruth = false,
): Generator<MultiRaterValidationBatch, void, undefined> {
  const perSample = options.patchSize.reduce((a, b) => a * b, 1);
  for (const batch of validationBatches(pool, options)) {
    const n = batch.imageShape[0];
    const labels = new Uint8Array(n * raters * perSample);
    const mask = new Float32Array(n * raters);
    const truth = withTruth ? new Uint8Array(n * perSample) : null;
    batch.samples.forEach((record, b) =>
      cutLabels(
        cases[record.caseIndex],
        pool[record.caseIndex],
        record,
        options.patchSize,
        raters,
        b,
        { labels, mask, truth },
        options.padValue ?? 0,
      ),
    );
    const spatial = batch.labelShape.slice(1);
    yield {
      ...batch,
      reference: batch.label,
      labels,
      labelsShape: [n, raters, ...spatial],
      mask,
      maskShape: [n, raters],
      truth,
    };
  }
}
