/**
 * Checkpoints: `model.onnx` (the inference export, parameters as initializers, loadable by any ONNX runtime)
 * plus `optimizer.onnx` (a node-less ONNX container holding the optimiser state tensors `param@slot`, any
 * parameter the inference graph does not use, and the step count and optimiser settings as metadata). In
 * `model.onnx`, initializers whose names start with '_' are constants, the others parameters. Both are
 * written to a temporary name and renamed, so a crash never leaves half a checkpoint under the real name.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { Graph } from './graph.ts';
import { readOnnxModel, toOnnxModel } from './onnx.ts';

/** What `writeCheckpoint` stores and `readCheckpoint` returns: weights, optimiser state and the step count. */
export interface CheckpointData {
  /** Every parameter and buffer by name. */
  readonly params: ReadonlyMap<string, Float32Array>;
  /** Optimiser state by `param@slot`. */
  readonly optimizerState: ReadonlyMap<string, Float32Array>;
  /** Training steps taken. */
  readonly step: number;
  /** Optimiser name and options, recorded for the reader. */
  readonly optimizer: {
    /** `Optimizer.name` ('sgd', 'adam', 'adamw' or 'radam'); '' when the checkpoint records none. */
    readonly name: string;
    /** `Optimizer.options`, the hyper-parameters, stored as JSON in the state file's metadata. */
    readonly options: Readonly<Record<string, number | boolean>>;
  };
}

/** File name of a checkpoint's inference model inside its directory. */
export const MODEL_FILE = 'model.onnx';
/** File name of a checkpoint's optimiser state (and parameters the inference model lacks) inside its directory. */
export const STATE_FILE = 'optimizer.onnx';

function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** Writes `model` (inference .onnx bytes) and the optimiser state into directory `dir`. */
export function writeCheckpoint(dir: string, model: Uint8Array, data: CheckpointData): void {
  mkdirSync(dir, { recursive: true });
  const inModel = new Set(readOnnxModel(model, join(dir, MODEL_FILE)).initializers.keys());
  const holder = new Graph();
  const initializers = new Map<string, Float32Array>();
  const add = (name: string, values: Float32Array): void => {
    holder.param(name, [values.length], { kind: 'constant', value: 0 });
    initializers.set(name, values);
  };
  for (const [k, v] of data.optimizerState) add(k, v);
  for (const [k, v] of data.params) if (!inModel.has(k)) add(`param:${k}`, v);
  const outputs = Object.fromEntries([...holder.params.values()].map((p) => [`keep:${p.name}`, p.value]));
  const state = toOnnxModel(holder, {
    outputs,
    initializers,
    name: 'optimizer_state',
    metadata: {
      step: String(data.step),
      optimizer: data.optimizer.name,
      optimizerOptions: JSON.stringify(data.optimizer.options),
    },
  });
  writeAtomic(join(dir, MODEL_FILE), model);
  writeAtomic(join(dir, STATE_FILE), state);
}

function read(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new MultiraterError('file_not_found', `${path}: checkpoint file not found`);
  }
}

/** Reads a checkpoint written by `writeCheckpoint`. */
export function readCheckpoint(dir: string): CheckpointData {
  const modelPath = join(dir, MODEL_FILE);
  const statePath = join(dir, STATE_FILE);
  const model = readOnnxModel(read(modelPath), modelPath);
  const state = readOnnxModel(read(statePath), statePath);
  const params = new Map<string, Float32Array>();
  const optimizerState = new Map<string, Float32Array>();
  for (const [k, t] of model.initializers)
    if (!k.startsWith('_') && t.dtype === 'float32') params.set(k, t.data as Float32Array);
  for (const [k, t] of state.initializers) {
    if (k.startsWith('param:')) params.set(k.slice('param:'.length), t.data as Float32Array);
    else optimizerState.set(k, t.data as Float32Array);
  }
  const step = Number(state.metadata.get('step'));
  if (!Number.isInteger(step))
    throw new MultiraterError('invalid_checkpoint', `${statePath}: no step count in metadata`);
  return {
    params,
    optimizerState,
    step,
    optimizer: {
      name: state.metadata.get('optimizer') ?? '',
      options: JSON.parse(state.metadata.get('optimizerOptions') ?? '{}'),
    },
  };
}
