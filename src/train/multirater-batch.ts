/**
 * Training batches carrying every annotator's label: sample b of batch k is drawn exactly as `prepareSample` draws it
 * (case, centre and augmentation from `new Rng(seed).fork('batch k').fork('sample b')`, foreground oversampling on the
 * union of the annotators' labels), and each annotator's label map is then resampled with the same spatial
 * parameters, so all labels stay aligned with the image. Layout: image [B, 1, spatial…] float32, labels
 * [B, R, spatial…] uint8 (0 where missing), mask [B, R] float32 (1 where annotator r labelled the sample's case),
 * and with `withTruth` the truth [B, spatial…] uint8, resampled the same way (0 where a case has none; the pixel
 * oracle's matrices).
 */
import { allocateBatch, prepareSample, resolveBatchOptions, type BatchOptions, type SampleRecord } from './prepare-batch.ts';
import { buildSamplingPool, type PoolCase } from './sampling-pool.ts';
import { transformPatch } from './spatial-transform.ts';
import type { MultiRaterCase } from './multirater-cases.ts';

/** One batch with all annotators' labels. */
export interface MultiRaterBatch {
  iteration: number;
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
  samples: SampleRecord[];
}

/** Draws multi-annotator batches from fixed cases; a pure function of (seed, iteration). */
export class MultiRaterBatchLoader {
  readonly pool: PoolCase[];
  private readonly options: Required<BatchOptions>;

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
    const scratch = new Float32Array(perSample);
    for (let b = 0; b < o.batchSize; b++) {
      const record = prepareSample(this.pool, o, base, b);
      const source = this.pool[record.caseIndex];
      const resample = (label: Uint8Array, into: Uint8Array): void =>
        transformPatch({ ...source, label }, record.centre, o.patchSize, record.augmentation.spatial, { image: scratch, label: into, offset: 0 }, o.padValue);
      this.cases[record.caseIndex].raterLabels.forEach((l, r) => {
        if (l === null) return;
        mask[b * R + r] = 1;
        resample(l.data, labels.subarray((b * R + r) * perSample, (b * R + r + 1) * perSample));
      });
      const t = this.cases[record.caseIndex].truth;
      if (truth !== null && t !== null) resample(t.data, truth.subarray(b * perSample, (b + 1) * perSample));
    }
    const spatial = base.labelShape.slice(1);
    return { iteration, image: base.image, imageShape: base.imageShape, labels, labelsShape: [o.batchSize, R, ...spatial], mask, maskShape: [o.batchSize, R], truth, samples: base.samples };
  }
}
