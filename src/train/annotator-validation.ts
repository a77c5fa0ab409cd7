/**
 * Validation of a multi-annotator run: every slice (2D) or tile (3D) of the validation cases, unaugmented, through
 * the evaluation model. Dice per label of p_θ's arg-max, pooled over the validation voxels, against the truth when
 * the case has it, else against the majority vote of its annotators (ties to the lower label); and, for the
 * annotator model, each annotator's image-level matrix over the validation set (image-confusion-matrices.ts, on
 * the same reference) with
 * its CM error against the dataset's true matrices when it has them (SPEC-metrics.md: RMSE over entries, averaged
 * over annotators).
 */
import { confusionMatrixRmse } from '../metrics/confusion-matrix.ts';
import { Session } from '../nn/session.ts';
import type { TensorData } from '../nn/tensor.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { annotatorEvaluationModel, CMS_OUTPUT, outputsMatrices, type AnnotatorTrainConfig } from './annotator-graphs.ts';
import { ImageCmAccumulator } from './image-confusion-matrices.ts';
import { IMAGE_FEED, PROBABILITIES_OUTPUT } from './model-graphs.ts';
import type { MultiRaterCase } from './multirater-cases.ts';
import { buildSamplingPool, type PoolCase } from './sampling-pool.ts';
import { countArgmax } from './validate.ts';
import { validationBatches } from './validation-batches.ts';

/** One validation of a multi-annotator run. */
export interface AnnotatorValidation {
  /** Dice per label value against the reference, pooled. */
  dice: Record<string, number | null>;
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
  const n = c.label.data.length;
  const out = new Uint8Array(n);
  const votes = new Int32Array(classes);
  for (let v = 0; v < n; v++) {
    votes.fill(0);
    for (const l of present) if (l.data[v] < classes) votes[l.data[v]]++;
    let best = 0;
    for (let k = 1; k < classes; k++) if (votes[k] > votes[best]) best = k;
    out[v] = best;
  }
  return createVolume(c.label.shape, out, { spacing: c.label.spacing, affine: c.label.affine });
}

/** Validates parameters of a multi-annotator run on fixed cases, one compiled session per batch size. */
export class AnnotatorValidator {
  private readonly sessions = new Map<number, Promise<{ session: Session; paramShapes: Map<string, number[]> }>>();
  private readonly pool: PoolCase[];
  private readonly reference: AnnotatorValidation['reference'];

  constructor(
    private readonly config: AnnotatorTrainConfig,
    cases: readonly MultiRaterCase[],
    private readonly trueMatrices: (number | null)[][][] | null,
    private readonly threads?: number,
  ) {
    this.pool = buildSamplingPool(cases.map((c) => ({ ...c, label: c.truth ?? majorityReference(c, config.classes) })));
    const truths = cases.filter((c) => c.truth !== null).length;
    this.reference = truths === cases.length ? 'truth' : truths === 0 ? 'majority' : 'mixed';
  }

  private session(batch: number) {
    let s = this.sessions.get(batch);
    if (s === undefined) {
      const { model, paramShapes } = annotatorEvaluationModel(this.config, batch);
      s = Session.create(model, { threads: this.threads }).then((session) => ({ session, paramShapes }));
      this.sessions.set(batch, s);
    }
    return s;
  }

  /** Validates `params` (every parameter and buffer by name). */
  async run(params: ReadonlyMap<string, Float32Array>): Promise<AnnotatorValidation> {
    const L = this.config.classes;
    const R = this.config.annotators.raters.length;
    const tp = new Float64Array(L);
    const fp = new Float64Array(L);
    const fn = new Float64Array(L);
    const learnsMatrices = outputsMatrices(this.config);
    const cms = new ImageCmAccumulator(R, L);
    for (const batch of validationBatches(this.pool, { patchSize: this.config.patchSize, batchSize: this.config.batchSize })) {
      const n = batch.imageShape[0];
      const { session, paramShapes } = await this.session(n);
      const feeds: Record<string, TensorData> = { [IMAGE_FEED]: { dtype: 'float32', shape: batch.imageShape, data: batch.image } };
      for (const [name, shape] of paramShapes) {
        const p = params.get(name);
        if (p !== undefined) feeds[name] = { dtype: 'float32', shape, data: p };
      }
      const out = await session.run(Object.fromEntries(session.inputNames.map((k) => [k, feeds[k]])));
      const prob = out[PROBABILITIES_OUTPUT].data as Float32Array;
      countArgmax(prob, batch.label, n, L, tp, fp, fn);
      if (learnsMatrices) cms.add(out[CMS_OUTPUT].data as Float32Array, batch.label, n);
    }
    const dice: Record<string, number | null> = {};
    const values: number[] = [];
    for (const key of Object.keys(this.config.labels)) {
      const c = Number(key);
      const den = 2 * tp[c] + fp[c] + fn[c];
      dice[key] = den === 0 ? null : (2 * tp[c]) / den;
      if (dice[key] !== null) values.push(dice[key] as number);
    }
    const matrices = learnsMatrices ? cms.matrices() : null;
    return {
      dice,
      meanDice: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length,
      reference: this.reference,
      confusionMatrices: matrices,
      cmError: matrices !== null && this.trueMatrices !== null ? confusionMatrixRmse(matrices, this.trueMatrices) : null,
    };
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).session.release();
    this.sessions.clear();
  }
}
