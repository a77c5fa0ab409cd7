/**
 * Builds the whole training step into one graph: the forward pass and loss (already in the graph), the backward
 * pass (`grad`), optional global-norm clipping, and the optimiser update of every trainable, unfrozen parameter.
 * Running it is one `session.run`: feeds are the batch, `lr`, `step`, the parameters and the optimiser state;
 * fetches are the loss, extras, new parameters (and buffers) and new state.
 */
import { MultiraterError } from '../errors.ts';
import { grad } from './autodiff.ts';
import * as F from './functional.ts';
import type { Graph, Value } from './graph.ts';
import { toOnnxModel } from './onnx.ts';
import { clipByGlobalNorm, type Optimizer } from './optimizers.ts';

/** Options of `buildTrainStep` (and of `TrainingSession.create`). */
export interface TrainStepOptions {
  /** The update rule applied to every trainable, unfrozen parameter. */
  readonly optimizer: Optimizer;
  /** Names of parameters and buffers excluded from updates (frozen); default none. */
  readonly frozen?: readonly string[];
  /** Clip gradients to this global L2 norm; default no clipping. */
  readonly clipGradNorm?: number;
  /** Extra values fetched every step, by name. */
  readonly extras?: Readonly<Record<string, Value>>;
}

/** The compiled-to-bytes training step and the names that connect host buffers to it. */
export interface TrainStepModel {
  /** The training step as ONNX ModelProto bytes. */
  readonly model: Uint8Array;
  /** Parameter name → ONNX input name, for every parameter the step reads. */
  readonly paramInputs: ReadonlyMap<string, string>;
  /** Parameter name → ONNX output name of its new value (updated parameters and buffers). */
  readonly paramOutputs: ReadonlyMap<string, string>;
  /** State key (`param@slot`) → [input name, output name]. */
  readonly state: ReadonlyMap<string, readonly [string, string]>;
  /** State key → parameter name. */
  readonly stateParam: ReadonlyMap<string, string>;
  /** Output names of the extra fetches (`TrainStepOptions.extras`' keys). */
  readonly extras: readonly string[];
}

/** Feed name of the learning rate (float32 scalar). */
export const LR_FEED = 'lr';
/** Feed name of the 1-based step count (float32 scalar). */
export const STEP_FEED = 'step';
/** Output name of the scalar loss (at the parameters before the update). */
export const LOSS_OUTPUT = 'loss';
/** Prefix of the optimiser's step-scalar feeds. */
export const OPTIMIZER_FEED_PREFIX = 'optimizer:';

/** Appends backward pass and update to `graph` (once per graph) and serialises the training step. */
export function buildTrainStep(graph: Graph, loss: Value, options: TrainStepOptions): TrainStepModel {
  if (loss.rank !== 0)
    throw new MultiraterError('shape_error', `the loss must be a scalar, got shape [${loss.shape.join(',')}]`);
  const frozen = new Set(options.frozen ?? []);
  for (const name of frozen)
    if (!graph.params.has(name))
      throw new MultiraterError('unknown_param', `cannot freeze '${name}': no such parameter`);
  const trainable = [...graph.params.values()].filter((p) => p.trainable && !frozen.has(p.name));
  const lr = graph.input(LR_FEED, 'float32', []);
  const step = graph.input(STEP_FEED, 'float32', []);
  const scalars = Object.fromEntries(
    options.optimizer.scalarNames.map((n) => [n, graph.input(`${OPTIMIZER_FEED_PREFIX}${n}`, 'float32', [])]),
  );
  let grads = grad(
    loss,
    trainable.map((p) => p.value),
  );
  if (options.clipGradNorm !== undefined) grads = clipByGlobalNorm(grads, options.clipGradNorm);

  const outputs: Record<string, Value> = { [LOSS_OUTPUT]: F.identity(loss) };
  const paramOutputs = new Map<string, string>();
  const state = new Map<string, readonly [string, string]>();
  const stateParam = new Map<string, string>();
  trainable.forEach((p, i) => {
    const slots = options.optimizer.slots.map((slot) => {
      const key = `${p.name}@${slot}`;
      const v = graph.input(`${p.value.name}@${slot}`, 'float32', p.value.shape);
      state.set(key, [v.name, `${v.name}@next`]);
      stateParam.set(key, p.name);
      return v;
    });
    const upd = options.optimizer.update(p.value, grads[i], slots, { lr, step, scalars });
    outputs[`${p.value.name}@next`] = upd.param;
    paramOutputs.set(p.name, `${p.value.name}@next`);
    options.optimizer.slots.forEach((slot, k) => (outputs[`${p.value.name}@${slot}@next`] = upd.state[k]));
  });
  for (const [name, next] of graph.bufferUpdates) {
    const p = graph.params.get(name);
    if (p === undefined || frozen.has(name)) continue;
    outputs[`${p.value.name}@next`] = next;
    paramOutputs.set(name, `${p.value.name}@next`);
  }
  const extras = Object.keys(options.extras ?? {});
  for (const k of extras) {
    if (k in outputs) throw new MultiraterError('duplicate_name', `extra output '${k}' clashes with a training output`);
    outputs[k] = (options.extras as Record<string, Value>)[k];
  }
  const model = toOnnxModel(graph, { outputs, name: 'train_step' });
  const paramInputs = new Map([...graph.params.values()].map((p) => [p.name, p.value.name]));
  return { model, paramInputs, paramOutputs, state, stateParam, extras };
}
