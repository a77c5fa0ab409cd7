import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../models/builtins.ts';
import { initParams } from '../nn/init.ts';
import { readOnnxModel } from '../nn/onnx.ts';
import { buildLossGraph, inferenceModel } from './model-graphs.ts';
import type { TrainConfig } from './train-config.ts';

function configFor(name: string): TrainConfig {
  const spec = BUILTIN_MODELS.get(name);
  if (spec === undefined) throw new Error(name);
  const side = spec.divisor(spec.defaults) * 2;
  return {
    format: 'multirater-model',
    version: 1,
    model: name,
    dims: spec.dims,
    modelOptions: spec.defaults,
    classes: 3,
    labels: { '1': 'a', '2': 'b' },
    labelSource: 'truth',
    dataset: 'unused',
    loss: 'ce',
    lossOptions: {},
    iterations: 1,
    batchSize: 2,
    patchSize: Array(spec.dims).fill(side),
    lr: 1e-3,
    optimizer: 'adam',
    schedule: 'poly',
    seed: 1,
    validateEvery: 1,
    checkpointEvery: 1,
    selectBy: 'loss',
    earlyStoppingPatience: null,
    normalization: { method: 'zscore' },
    augmentation: null,
  };
}

describe('inference export', () => {
  for (const name of BUILTIN_MODELS.keys()) {
    it(`${name}: model.onnx reads back with every parameter and buffer of the training graph (scalar constants included)`, () => {
      const config = configFor(name);
      const { graph } = buildLossGraph(config, config.batchSize, true);
      const params = initParams(graph, 1);
      const read = readOnnxModel(inferenceModel(config, params), `${name}.onnx`);
      for (const [k, v] of params) {
        const t = read.initializers.get(k);
        expect(t, k).toBeDefined();
        // Byte equality (stricter than toEqual and fast on resnet18-unet2d's millions of weights).
        const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
        expect(t!.data.constructor, k).toBe(v.constructor);
        expect(bytes(t!.data).equals(bytes(v)), k).toBe(true);
      }
    });
  }
});
