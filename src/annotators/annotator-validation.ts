/**
 * Validation of a multi-annotator run: every slice (2D) or tile (3D) of the validation cases, unaugmented, through
 * the evaluation model, with every annotator's label (multirater-batch.ts). What a user without the truth has, and
 * what the run's weights are selected by (`selectBy`):
 * - `loss`: the run's own objective on the validation annotators' labels (losses/annotator-cm-loss.ts: −log of
 *   A_r·p_θ at each annotator's label + λ·trace; the mean-label baseline: cross-entropy against the mean label; the
 *   pixel oracle: with its matrices from the truth, the one arm that reads it);
 * - `majorityDice`: mean Dice of p_θ's arg-max against the majority vote of the validation annotators (the arg-max
 *   of their mean label, ties to the lower label).
 * Reported beside them, never used to select: Dice per label pooled over the validation voxels against the truth
 * when the cases have it (else the majority vote), and, for the annotator model, each annotator's image-level matrix
 * over the validation set (image-confusion-matrices.ts, on the same reference) with its CM error against the
 * dataset's true matrices when it has them (SPEC-metrics.md: RMSE over entries, averaged over annotators).
 */
import { confusionMatrixRmse } from '../metrics/index.ts';
import type { TensorData } from '../nn/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import {
  annotatorEvaluationModel,
  CMS_OUTPUT,
  LABELS_FEED,
  LOSS_OUTPUT,
  MASK_FEED,
  ORACLE_CM_FEED,
  outputsMatrices,
  pixelOracleMatrices,
  type AnnotatorTrainConfig,
} from './annotator-graphs.ts';
import { ImageCmAccumulator } from './image-confusion-matrices.ts';
import { IMAGE_FEED, PROBABILITIES_OUTPUT } from '../train/index.ts';
import { multiRaterValidationBatches } from '../data/index.ts';
import type { MultiRaterCase } from '../data/index.ts';
import { buildSamplingPool, type PoolCase } from '../data/index.ts';
import { countArgmax, EvaluationSessions, pooledDice } from '../train/index.ts';

/** One validation of a multi-annotator run. */
export interface AnnotatorValidation {
  /** The run's objective on the validation annotators' labels, the mean over validation samples (see the file comment). */
  loss: number;
  /** Mean over labels of p_θ's Dice against the validation annotators' majority vote, pooled; null when every label is absent. */
  majorityDice: number | null;
  /** Dice per label value against the reference, pooled (reported; never selects). */
  dice: Record<string, number | null>;
  /** Mean of the non-null values of `dice`; null when all are null. */
  meanDice: number | null;
  /** 'truth' when every validation case has one, else 'majority' (or 'mixed'). */
  reference: 'truth' | 'majority' | 'mixed';
  /** Image-level matrices [R][L][L] over the validation set; null for the mean-label baseline. */
  confusionMatrices: (number | null)[][][] | null;
  /** CM error against the dataset's true matrices; null without them or without matrices. */
  cmError: number | null;
}

/** The majority vote of the present annotators (ties to the lower label). */
export function majorityReference(c: MultiRaterCase, classes: number): Volume<Uint8Array> {
  const present = c.raterLabels.filter((l): l is Volume<Uint8Array> => l !== null);
  const out = new Uint8Array(c.label.data.length);
  majorityVote(
    present.map((l) => l.data),
    out,
    classes,
  );
  return createVolume(c.label.shape, out, { spacing: c.label.spacing, affine: c.label.affine });
}

/** Writes into `out` the per-voxel majority of `labels` (values ≥ `classes` ignored; ties to the lower label). */
function majorityVote(labels: readonly Uint8Array[], out: Uint8Array, classes: number): void {
  const votes = new Int32Array(classes);
  for (let v = 0; v < out.length; v++) {
    votes.fill(0);
    for (const l of labels) if (l[v] < classes) votes[l[v]]++;
    let best = 0;
    for (let k = 1; k < classes; k++) if (votes[k] > votes[best]) best = k;
    out[v] = best;
  }
}

/** Validates parameters of a multi-annotator run on fixed cases, one compiled session per batch size. */
export class AnnotatorValidator {
  private readonly sessions: EvaluationSessions;
  private readonly pool: PoolCase[];
  private readonly reference: AnnotatorValidation['reference'];

  /**
   * Prepares validation on `cases` (preprocessed, with every annotator's label) for the run `config`; `trueMatrices`
   * [R][L][L] are the dataset's, for the CM error (null without them); `threads`: ONNX Runtime intra-op threads
   * (default: the machine's physical cores). Sessions are compiled on the first `run`.
   */
  constructor(
    private readonly config: AnnotatorTrainConfig,
    private readonly cases: readonly MultiRaterCase[],
    private readonly trueMatrices: (number | null)[][][] | null,
    threads?: number,
  ) {
    this.sessions = new EvaluationSessions((batch) => annotatorEvaluationModel(config, batch), threads);
    this.pool = buildSamplingPool(cases.map((c) => ({ ...c, label: c.truth ?? majorityReference(c, config.classes) })));
    const truths = cases.filter((c) => c.truth !== null).length;
    this.reference = truths === cases.length ? 'truth' : truths === 0 ? 'majority' : 'mixed';
  }

  /** Validates `params` (every parameter and buffer by name). */
  async run(params: ReadonlyMap<string, Float32Array>): Promise<AnnotatorValidation> {
    const L = this.config.classes;
    const R = this.config.annotators.raters.length;
    const counts = () => ({ tp: new Float64Array(L), fp: new Float64Array(L), fn: new Float64Array(L) });
    const vsReference = counts();
    const vsMajority = counts();
    const learnsMatrices = outputsMatrices(this.config);
    const pixelOracle = this.config.annotators.oracle === 'pixel';
    const cms = new ImageCmAccumulator(R, L);
    let lossSum = 0;
    let samples = 0;
    const options = { patchSize: this.config.patchSize, batchSize: this.config.batchSize };
    for (const batch of multiRaterValidationBatches(this.cases, this.pool, R, options, pixelOracle)) {
      const n = batch.imageShape[0];
      const feeds: Record<string, TensorData> = {
        [IMAGE_FEED]: { dtype: 'float32', shape: batch.imageShape, data: batch.image },
        [LABELS_FEED]: { dtype: 'uint8', shape: batch.labelsShape, data: batch.labels },
        [MASK_FEED]: { dtype: 'float32', shape: batch.maskShape, data: batch.mask },
      };
      if (pixelOracle) {
        const spatial = batch.labelsShape.slice(2);
        feeds[ORACLE_CM_FEED] = {
          dtype: 'float32',
          shape: [n, R, L, L, ...spatial],
          data: pixelOracleMatrices(batch.labels, batch.truth!, batch.mask, n, R, L),
        };
      }
      const out = await this.sessions.run(n, feeds, params);
      lossSum += (out[LOSS_OUTPUT].data as Float32Array)[0] * n;
      samples += n;
      const prob = out[PROBABILITIES_OUTPUT].data as Float32Array;
      countArgmax(prob, batch.reference, n, L, vsReference.tp, vsReference.fp, vsReference.fn);
      countArgmax(
        prob,
        batchMajority(batch.labels, batch.mask, n, R, L),
        n,
        L,
        vsMajority.tp,
        vsMajority.fp,
        vsMajority.fn,
      );
      if (learnsMatrices) cms.add(out[CMS_OUTPUT].data as Float32Array, batch.reference, n);
    }
    const reference = pooledDice(this.config.labels, vsReference.tp, vsReference.fp, vsReference.fn);
    const matrices = learnsMatrices ? cms.matrices() : null;
    return {
      loss: lossSum / samples,
      majorityDice: pooledDice(this.config.labels, vsMajority.tp, vsMajority.fp, vsMajority.fn).meanDice,
      dice: reference.dice,
      meanDice: reference.meanDice,
      reference: this.reference,
      confusionMatrices: matrices,
      cmError:
        matrices !== null && this.trueMatrices !== null ? confusionMatrixRmse(matrices, this.trueMatrices) : null,
    };
  }

  /** Frees the compiled evaluation sessions' ONNX Runtime memory; a later `run` compiles them again. */
  async release(): Promise<void> {
    await this.sessions.release();
  }
}

/** The majority vote [N, P] of each sample's present annotators in `labels` [N, R, P] (`mask` [N, R]). */
function batchMajority(labels: Uint8Array, mask: Float32Array, n: number, raters: number, classes: number): Uint8Array {
  const P = labels.length / (n * raters);
  const out = new Uint8Array(n * P);
  for (let b = 0; b < n; b++) {
    const present: Uint8Array[] = [];
    for (let r = 0; r < raters; r++)
      if (mask[b * raters + r] === 1) present.push(labels.subarray((b * raters + r) * P, (b * raters + r + 1) * P));
    majorityVote(present, out.subarray(b * P, (b + 1) * P), classes);
  }
  return out;
}
