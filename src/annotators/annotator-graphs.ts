/**
 * The graphs of a multi-annotator training run, built from one registered network so parameter names agree:
 * the training graph (image, every annotator's labels and the label mask → loss), the evaluation graph (the same
 * feeds plus the parameters, in inference mode: outputs p_θ, the confusion matrices and the loss) and the
 * `annotators.onnx` export (parameters baked in, symbolic batch axis: outputs `probabilities` [N, L, spatial…] and
 * `confusionMatrices` [N, R, L, L, spatial…] or [R, L, L]).
 * The segmentation network alone is exported as model.onnx by `inferenceModel` (model-graphs.ts).
 * Methods: 'annotator-cm' (Zhang et al. 2020; with `oracle` the matrices are the dataset's true ones, fixed) and
 * 'mean-labels' (the naive baseline: soft cross-entropy against the fraction of annotators saying each class).
 */
import { annotatorHeads } from '../models/index.ts';
import { getModel } from '../models/index.ts';
import { annotatorCmLoss, meanLabelCrossEntropy, type CmLossName } from '../losses/index.ts';
import { F } from '../nn/index.ts';
import { Graph, type Value } from '../nn/index.ts';
import { toOnnxModel } from '../nn/index.ts';
import { imageShape, IMAGE_FEED, PROBABILITIES_OUTPUT } from '../train/index.ts';
import type { TrainConfig } from '../train/index.ts';

/** Feed of every annotator's labels, uint8 [N, R, spatial…] (0 where the annotator did not label the sample). */
export const LABELS_FEED = 'labels';
/** Feed of which annotator labelled which sample, float32 [N, R]: 1 where annotator r labelled sample n, else 0. */
export const MASK_FEED = 'mask';
/**
 * Output of the annotator confusion matrices, column-stochastic over the first class axis: per pixel
 * [N, R, L, L, spatial…] (`cm: 'pixel'`) or one per annotator [R, L, L] (`cm: 'global'`).
 */
export const CMS_OUTPUT = 'confusionMatrices';
/** The evaluation graph's objective on the fed labels (a scalar: the mean over the batch's samples). */
export const LOSS_OUTPUT = 'loss';
/** The pixel oracle's per-pixel true matrices [N, R, L, L, spatial…], fed with every training batch. */
export const ORACLE_CM_FEED = 'oracleConfusionMatrices';

/** How a multi-annotator run learns from the annotators' labels. */
export type AnnotatorMethod = 'annotator-cm' | 'mean-labels';

/** The annotator part of a run's settings (config.json's `annotators`). */
export interface AnnotatorSettings {
  /** 'annotator-cm' (Zhang et al. 2020: learned confusion matrices) or 'mean-labels' (soft cross-entropy baseline). */
  method: AnnotatorMethod;
  /** Rater ids in annotator order. */
  raters: string[];
  /** Per-pixel matrices from heads on the network's final features ('pixel'), or one learned L×L matrix per annotator ('global'). */
  cm: 'pixel' | 'global';
  /** λ of the trace term. */
  traceWeight: number;
  /** The annotator CM loss's formula: 'paper' (−log A·p) or 'published' (the authors' code: −log softmax(A·p)). */
  cmLoss: CmLossName;
  /** 'all', or 1: each training image keeps one annotator's label (recorded in label-assignment.json). */
  labelsPerImage: 'all' | 1;
  /**
   * What the oracle fixes, or null when the matrices are learned: the dataset's image-level true matrices [R][L][L]
   * (`cm: 'global'`), or 'pixel': every pixel's true matrix, from the truth and the annotator's label there (the
   * identity with the truth's column replaced by the one-hot of the label: `pixelOracleMatrices`).
   */
  oracle: number[][][] | 'pixel' | null;
}

/** A multi-annotator run's resolved settings. */
export interface AnnotatorTrainConfig extends TrainConfig {
  /** How the run learns from the annotators (written to config.json's `annotators`). */
  annotators: AnnotatorSettings;
}

/** What the graphs are built from. */
export type AnnotatorGraphConfig = Pick<
  AnnotatorTrainConfig,
  'model' | 'classes' | 'patchSize' | 'modelOptions' | 'annotators'
>;

/**
 * p_θ's logits and, for the annotator model, its matrices. The pixel oracle's matrices come from the truth, so they
 * are a feed of the training and evaluation graphs (`oracleCm`) and absent from the export.
 */
function forward(
  config: AnnotatorGraphConfig,
  x: Value,
  training: boolean,
  oracleCm: Value | null = null,
): { logits: Value; cm: Value | null } {
  const logits = getModel(config.model).build(x, config.classes, training, config.modelOptions);
  const a = config.annotators;
  if (a.method === 'mean-labels') return { logits, cm: null };
  if (a.oracle === 'pixel') return { logits, cm: oracleCm };
  if (a.oracle !== null) {
    const flat = Float32Array.from(a.oracle.flat(2));
    return {
      logits,
      cm: x.graph.constant(
        { dtype: 'float32', shape: [a.raters.length, config.classes, config.classes], data: flat },
        'oracle_cm',
      ),
    };
  }
  const o = config.modelOptions;
  return {
    logits,
    cm: annotatorHeads(
      logits,
      config.classes,
      { ...o, annotators: a.raters.length, cm: a.cm },
      { training, norm: o.norm, activation: o.activation },
    ),
  };
}

/** The loss graph's feeds for `batch` samples: image, every annotator's labels, the label mask and the pixel oracle's matrices. */
function lossInputs(
  graph: Graph,
  config: AnnotatorGraphConfig,
  batch: number,
): { x: Value; labels: Value; mask: Value; oracleCm: Value | null } {
  const shape = imageShape(config, batch);
  const R = config.annotators.raters.length;
  const L = config.classes;
  return {
    x: graph.input(IMAGE_FEED, 'float32', shape),
    labels: graph.input(LABELS_FEED, 'uint8', [batch, R, ...shape.slice(2)]),
    mask: graph.input(MASK_FEED, 'float32', [batch, R]),
    oracleCm:
      config.annotators.oracle === 'pixel'
        ? graph.input(ORACLE_CM_FEED, 'float32', [batch, R, L, L, ...shape.slice(2)])
        : null,
  };
}

/** The run's objective: the annotator-CM loss (`cmLoss` variant) with λ·trace, or the mean-label cross-entropy when there are no matrices. */
function objective(config: AnnotatorGraphConfig, logits: Value, cm: Value | null, labels: Value, mask: Value): Value {
  return cm === null
    ? meanLabelCrossEntropy(logits, labels, mask)
    : annotatorCmLoss(logits, cm, labels, mask, {
        traceWeight: config.annotators.traceWeight,
        variant: config.annotators.cmLoss,
      });
}

/** The training graph for `batch` samples and its loss. */
export function buildAnnotatorLossGraph(
  config: AnnotatorGraphConfig,
  batch: number,
  training: boolean,
): {
  /** The graph: image, annotator-label, mask (and pixel-oracle) feeds, the network's parameters and its ops. */
  graph: Graph;
  /** The scalar run objective: annotator-CM loss with λ·trace, or mean-label cross-entropy without matrices. */
  loss: Value;
} {
  const graph = new Graph();
  const { x, labels, mask, oracleCm } = lossInputs(graph, config, batch);
  const { logits, cm } = forward(config, x, training, oracleCm);
  return { graph, loss: objective(config, logits, cm, labels, mask) };
}

function outputs(config: AnnotatorGraphConfig, graph: Graph, batch: number | 'N'): Record<string, Value> {
  const x = graph.input(IMAGE_FEED, 'float32', [batch, 1, ...[...config.patchSize].reverse()]);
  const { logits, cm } = forward(config, x, false);
  return { [PROBABILITIES_OUTPUT]: F.softmax(logits, 1), ...(cm === null ? {} : { [CMS_OUTPUT]: F.identity(cm) }) };
}

/** Whether the run's graphs output annotator matrices (the learned ones, or the global oracle's fixed ones). */
export function outputsMatrices(config: Pick<AnnotatorGraphConfig, 'annotators'>): boolean {
  return config.annotators.method === 'annotator-cm' && config.annotators.oracle !== 'pixel';
}

/**
 * The pixel oracle's matrices for a batch: `labels` [B, R, P] (P pixels per sample), `truth` [B, P] and `mask` [B, R]
 * → float32 [B, R, L, L, P]. Where annotator r labelled the image, its matrix at pixel v is the identity with column
 * truth(v) replaced by the one-hot of label_r(v) (what the annotator says there given the truth; the columns of the
 * other classes, never observed at v, stay the identity); elsewhere the identity (masked out of the loss anyway).
 */
export function pixelOracleMatrices(
  labels: Uint8Array,
  truth: Uint8Array,
  mask: Float32Array,
  batch: number,
  raters: number,
  classes: number,
): Float32Array {
  const P = truth.length / batch;
  const L = classes;
  const out = new Float32Array(batch * raters * L * L * P);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < raters; r++) {
      const base = (b * raters + r) * L * L * P;
      for (let i = 0; i < L; i++) out.fill(1, base + (i * L + i) * P, base + (i * L + i + 1) * P);
      if (mask[b * raters + r] === 0) continue;
      const lab = labels.subarray((b * raters + r) * P, (b * raters + r + 1) * P);
      for (let v = 0; v < P; v++) {
        const t = truth[b * P + v];
        const l = lab[v];
        if (t === l || t >= L || l >= L) continue;
        out[base + (t * L + t) * P + v] = 0;
        out[base + (l * L + t) * P + v] = 1;
      }
    }
  }
  return out;
}

/**
 * The evaluation model for `batch` samples (parameters are inputs; the training graph's feeds) and each parameter's
 * shape: outputs p_θ, the matrices (as `outputs`) and `loss`, the run's objective on the fed annotators' labels.
 */
export function annotatorEvaluationModel(
  config: AnnotatorGraphConfig,
  batch: number,
): {
  /** The serialised ONNX model. */
  model: Uint8Array;
  /** Each parameter's (and buffer's) shape by name: the extra feeds the model takes. */
  paramShapes: Map<string, number[]>;
} {
  const graph = new Graph();
  const { x, labels, mask, oracleCm } = lossInputs(graph, config, batch);
  const { logits, cm } = forward(config, x, false, oracleCm);
  const outputs = {
    [PROBABILITIES_OUTPUT]: F.softmax(logits, 1),
    ...(cm !== null && outputsMatrices(config) ? { [CMS_OUTPUT]: F.identity(cm) } : {}),
    [LOSS_OUTPUT]: F.identity(objective(config, logits, cm, labels, mask)),
  };
  const model = toOnnxModel(graph, { outputs, name: 'annotator-evaluation' });
  return { model, paramShapes: new Map([...graph.params.values()].map((p) => [p.name, p.value.staticShape])) };
}

/** annotators.onnx: p_θ and the matrices for any batch size, `params` baked in. */
export function annotatorsModel(config: AnnotatorGraphConfig, params: ReadonlyMap<string, Float32Array>): Uint8Array {
  const graph = new Graph();
  return toOnnxModel(graph, {
    outputs: outputs(config, graph, 'N'),
    initializers: params,
    name: 'annotators',
    metadata: {
      multirater: JSON.stringify({
        model: config.model,
        classes: config.classes,
        patchSize: config.patchSize,
        raters: config.annotators.raters,
        cm: config.annotators.cm,
      }),
    },
  });
}
