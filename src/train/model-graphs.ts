/**
 * The three graphs of one trained network, all built from the same registered model so parameter names agree:
 * the training graph (batch statistics, dropout, loss), the evaluation graph (running statistics, loss and
 * logits, parameters fed as inputs so one compiled session serves every validation), and the inference export
 * (parameters as initializers, a symbolic batch axis `N`, output `probabilities` = softmax of the logits over
 * classes), written as model.onnx.
 * Layout as the batch pipeline: images [B, 1, (pz,) py, px] float32, labels [B, (pz,) py, px] uint8. Models with
 * conditional instance norm also take `expert` [B] int64, each sample's expert slot (`config.experts`).
 */
import { getModel } from '../models/index.ts';
import { F } from '../nn/index.ts';
import { Graph, type Value } from '../nn/index.ts';
import type { Dim } from '../nn/index.ts';
import type { ModelInputs } from '../models/index.ts';
import { toOnnxModel } from '../nn/index.ts';
import { buildLoss } from '../losses/index.ts';
import type { TrainConfig } from './train-config.ts';

/** Feed of the images, float32 [B, 1, (pz,) py, px], intensity-normalised as in training. */
export const IMAGE_FEED = 'image';
/** Feed of the label maps of the training and evaluation graphs, uint8 [B, (pz,) py, px], values 0…classes − 1. */
export const LABEL_FEED = 'label';
/** Output of the inference model: softmax over classes, float32 [N, classes, (pz,) py, px], values 0–1. */
export const PROBABILITIES_OUTPUT = 'probabilities';
/** Feed of each sample's expert slot (index into `config.experts`), int64 [B]; only for norm 'cin'. */
export const EXPERT_FEED = 'expert';

/** The model's inputs besides the image: the expert index feed [batch] when the network uses conditional instance norm. */
function modelInputs(graph: Graph, config: TrainConfig, batch: Dim): ModelInputs {
  return config.modelOptions.norm === 'cin' ? { expert: graph.input(EXPERT_FEED, 'int64', [batch]) } : {};
}

/** [B, 1, …spatial reversed] for patch size [px, py(, pz)]. */
export function imageShape(config: Pick<TrainConfig, 'patchSize'>, batch: number): number[] {
  return [batch, 1, ...[...config.patchSize].reverse()];
}

/** A graph with image and label feeds for `batch` samples, its logits and its loss. */
export function buildLossGraph(
  config: TrainConfig,
  batch: number,
  training: boolean,
): {
  /** The graph: image and label feeds, the network's parameters and its ops. */
  graph: Graph;
  /** The network's output before softmax, [B, classes, (pz,) py, px]. */
  logits: Value;
  /** The scalar `config.loss` of `logits` against the label feed. */
  loss: Value;
} {
  const graph = new Graph();
  const shape = imageShape(config, batch);
  const x = graph.input(IMAGE_FEED, 'float32', shape);
  const t = graph.input(LABEL_FEED, 'uint8', [batch, ...shape.slice(2)]);
  const logits = getModel(config.model).build(
    x,
    config.classes,
    training,
    config.modelOptions,
    modelInputs(graph, config, batch),
  );
  return { graph, logits, loss: buildLoss(config.loss, logits, t, config.lossOptions) };
}

/** The evaluation model for `batch` samples (outputs `loss` and `logits`; parameters are inputs) and each parameter's shape. */
export function evaluationModel(
  config: TrainConfig,
  batch: number,
): {
  /** The serialised ONNX model. */
  model: Uint8Array;
  /** Each parameter's (and buffer's) shape by name: the extra feeds the model takes. */
  paramShapes: Map<string, number[]>;
} {
  const { graph, logits, loss } = buildLossGraph(config, batch, false);
  const model = toOnnxModel(graph, {
    outputs: { loss: F.identity(loss), logits: F.identity(logits) },
    name: 'evaluation',
  });
  return { model, paramShapes: new Map([...graph.params.values()].map((p) => [p.name, p.value.staticShape])) };
}

/** The inference model (any batch size) with `params` baked in; the model and patch size are stored in its metadata. */
export function inferenceModel(config: TrainConfig, params: ReadonlyMap<string, Float32Array>): Uint8Array {
  const graph = new Graph();
  const x = graph.input(IMAGE_FEED, 'float32', ['N', 1, ...[...config.patchSize].reverse()]);
  const logits = getModel(config.model).build(
    x,
    config.classes,
    false,
    config.modelOptions,
    modelInputs(graph, config, 'N'),
  );
  return toOnnxModel(graph, {
    outputs: { [PROBABILITIES_OUTPUT]: F.softmax(logits, 1) },
    initializers: params,
    name: config.model,
    metadata: {
      multirater: JSON.stringify({
        model: config.model,
        classes: config.classes,
        patchSize: config.patchSize,
        labels: config.labels,
        ...(config.experts ? { experts: config.experts } : {}),
      }),
    },
  });
}
