/**
 * Validation of the current weights: every slice (2D) or tile (3D) of the validation cases, unaugmented
 * (`validationBatches`), through the evaluation model. The loss is the mean of the batch losses weighted by their
 * sample counts; Dice per label is pooled over all validation voxels: 2·TP/(2·TP + FP + FN) of the arg-max
 * prediction, `null` when the label is absent from both prediction and reference.
 */
import { Session } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { evaluationModel, IMAGE_FEED, LABEL_FEED } from './model-graphs.ts';
import type { Batch } from '../data/index.ts';
import type { PoolCase } from '../data/index.ts';
import type { TrainConfig } from './train-config.ts';
import { validationBatches } from '../data/index.ts';

/** One validation's result. */
export interface ValidationResult {
  /** Sample-weighted mean loss. */
  loss: number;
  /** Dice per label value (as string), pooled over the validation set. */
  dice: Record<string, number | null>;
  /** Mean of the non-null per-label Dice values; null when all are null. */
  meanDice: number | null;
}

/** Compiled evaluation sessions, one per batch size, each built on first use (the last batch may be smaller). */
export class EvaluationSessions {
  private readonly sessions = new Map<number, Promise<{ session: Session; paramShapes: Map<string, number[]> }>>();

  /** Compiles nothing yet; `threads`: ONNX Runtime intra-op threads per session (default: the physical cores). */
  constructor(
    /** The evaluation model for `batch` samples and the shapes of its parameter inputs. */
    private readonly build: (batch: number) => { model: Uint8Array; paramShapes: Map<string, number[]> },
    private readonly threads?: number,
  ) {}

  /** Runs the model for `batch` samples on `feeds` plus the parameters it takes from `params`; `outputs` as in `Session.run`. */
  async run(
    batch: number,
    feeds: Readonly<Record<string, TensorData>>,
    params: ReadonlyMap<string, Float32Array>,
    outputs?: readonly string[],
  ): Promise<Record<string, TensorData>> {
    let s = this.sessions.get(batch);
    if (s === undefined) {
      const { model, paramShapes } = this.build(batch);
      s = Session.create(model, { threads: this.threads }).then((session) => ({ session, paramShapes }));
      this.sessions.set(batch, s);
    }
    const { session, paramShapes } = await s;
    const all: Record<string, TensorData> = { ...feeds };
    for (const [name, shape] of paramShapes) {
      const p = params.get(name);
      if (p !== undefined) all[name] = { dtype: 'float32', shape, data: p };
    }
    return session.run(Object.fromEntries(session.inputNames.map((k) => [k, all[k]])), outputs);
  }

  /** Frees every compiled session's ONNX Runtime memory; a later `run` compiles again. */
  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).session.release();
    this.sessions.clear();
  }
}

/** Runs validations with one compiled evaluation session per batch size. */
export class Validator {
  private readonly sessions: EvaluationSessions;

  /**
   * Validates the run `config` on `pool` (the validation cases, preprocessed, with their labels); `threads`: ONNX
   * Runtime intra-op threads (default: the physical cores). Sessions are compiled on the first `run`.
   */
  constructor(
    private readonly config: TrainConfig,
    private readonly pool: readonly PoolCase[],
    threads?: number,
    /** Feeds besides image and label for a batch (the expert index of a multi-expert model). */
    private readonly extraFeeds: (batch: Batch) => Record<string, TensorData> = () => ({}),
  ) {
    this.sessions = new EvaluationSessions((batch) => evaluationModel(config, batch), threads);
  }

  /** Validates `params` (every parameter and buffer by name). */
  async run(params: ReadonlyMap<string, Float32Array>): Promise<ValidationResult> {
    const classes = this.config.classes;
    const tp = new Float64Array(classes);
    const fp = new Float64Array(classes);
    const fn = new Float64Array(classes);
    let lossSum = 0;
    let samples = 0;
    for (const batch of validationBatches(this.pool, {
      patchSize: this.config.patchSize,
      batchSize: this.config.batchSize,
    })) {
      const n = batch.imageShape[0];
      const feeds: Record<string, TensorData> = {
        [IMAGE_FEED]: { dtype: 'float32', shape: batch.imageShape, data: batch.image },
        [LABEL_FEED]: { dtype: 'uint8', shape: batch.labelShape, data: batch.label },
        ...this.extraFeeds(batch),
      };
      const out = await this.sessions.run(n, feeds, params, ['loss', 'logits']);
      lossSum += (out.loss.data as Float32Array)[0] * n;
      samples += n;
      countArgmax(out.logits.data as Float32Array, batch.label, n, classes, tp, fp, fn);
    }
    const { dice, meanDice } = pooledDice(this.config.labels, tp, fp, fn);
    return { loss: lossSum / samples, dice, meanDice };
  }

  /** Frees the compiled evaluation sessions' ONNX Runtime memory; a later `run` compiles them again. */
  async release(): Promise<void> {
    await this.sessions.release();
  }
}

/** Pooled Dice 2·TP/(2·TP + FP + FN) per label value of `labels` (null when absent from prediction and reference) and the mean of the non-null ones. */
export function pooledDice(
  labels: Readonly<Record<string, string>>,
  tp: Float64Array,
  fp: Float64Array,
  fn: Float64Array,
): {
  /** Dice (0–1) by label value as string; null when the label is absent from prediction and reference. */
  dice: Record<string, number | null>;
  /** Mean of the non-null values of `dice`; null when all are null. */
  meanDice: number | null;
} {
  const dice: Record<string, number | null> = {};
  const values: number[] = [];
  for (const key of Object.keys(labels)) {
    const c = Number(key);
    const den = 2 * tp[c] + fp[c] + fn[c];
    dice[key] = den === 0 ? null : (2 * tp[c]) / den;
    if (dice[key] !== null) values.push(dice[key] as number);
  }
  return { dice, meanDice: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length };
}

/** Adds the arg-max confusion counts of `logits` [N, C, P] against `label` [N, P] to tp/fp/fn per class. */
export function countArgmax(
  logits: Float32Array,
  label: Uint8Array,
  n: number,
  classes: number,
  tp: Float64Array,
  fp: Float64Array,
  fn: Float64Array,
): void {
  const pixels = label.length / n;
  for (let s = 0; s < n; s++) {
    const base = s * classes * pixels;
    for (let p = 0; p < pixels; p++) {
      let best = 0;
      let bestValue = logits[base + p];
      for (let c = 1; c < classes; c++) {
        const v = logits[base + c * pixels + p];
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      const truth = label[s * pixels + p];
      if (best === truth) tp[best]++;
      else {
        fp[best]++;
        if (truth < classes) fn[truth]++;
      }
    }
  }
}
