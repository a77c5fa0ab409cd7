import { describe, expect, it } from 'vitest';
import { Graph } from '../nn/graph.ts';
import { initParams } from '../nn/init.ts';
import { adam } from '../nn/optimizers.ts';
import { TrainingSession } from '../nn/training-session.ts';
import { buildLoss } from '../train/losses.ts';
import { BUILTIN_MODELS, getModel } from './builtins.ts';
import { modelInfo } from './model-info.ts';

describe('model registry', () => {
  it('counts a tiny U-Net’s parameters as derived by hand', () => {
    // features [2, 4], 2 classes, no norm: enc0 3×3 convs 1→2 (18+2), 2→2 (36+2); enc1 2→4 (72+4), 4→4 (144+4);
    // up 2×2 transposed 4→2 (32+2); dec0 4→2 (72+2), 2→2 (36+2); head 1×1 2→2 (4+2) = 434.
    expect(modelInfo('unet2d', { classes: 2, model: { features: [2, 4], norm: 'none' } }).trainableParameters).toBe(434);
    // BatchNorm: the six 3×3 convs lose their biases (16) and gain weight + bias per channel (32); buffers 32.
    const bn = modelInfo('unet2d', { classes: 2, model: { features: [2, 4], norm: 'batch' } });
    expect(bn.trainableParameters).toBe(450);
    expect(bn.bufferParameters).toBe(32);
  });

  it('every built-in network maps [N, 1, spatial…] to logits [N, classes, spatial…]', () => {
    for (const spec of BUILTIN_MODELS.values()) {
      const g = new Graph();
      const side = spec.divisor(spec.defaults) * 2;
      const spatial = Array(spec.dims).fill(side);
      const logits = spec.build(g.input('image', 'float32', [2, 1, ...spatial]), 3, true, spec.defaults);
      expect(logits.shape, spec.name).toEqual([2, 3, ...spatial]);
    }
  });

  it('U-Net variants (strided-conv down, resize-conv up, instance norm, PReLU, dropout; 3D) keep the output grid', () => {
    const variants = [
      { dims: 2, down: 'strided-conv', up: 'resize-conv', norm: 'instance', activation: 'prelu', dropout: 0.2 },
      { dims: 3, down: 'strided-conv', up: 'transposed-conv', norm: 'none', activation: 'leaky-relu', attention: true },
      { dims: 2, down: 'max-pool', up: 'resize-conv', norm: 'batch', activation: 'elu' },
    ] as const;
    for (const v of variants) {
      const g = new Graph();
      const spatial = Array(v.dims).fill(8);
      const logits = getModel(v.dims === 2 ? 'unet2d' : 'unet3d').build(g.input('image', 'float32', [1, 1, ...spatial]), 4, true, { ...v, features: [2, 4, 8] });
      expect(logits.shape, JSON.stringify(v)).toEqual([1, 4, ...spatial]);
    }
  });

  it('rejects unknown names and bad U-Net options with one-line errors', () => {
    expect(() => getModel('vnet')).toThrow(/unknown model "vnet"/);
    expect(() => modelInfo('unet2d', { model: { features: [8] } })).toThrow(/at least two/);
  });

  // ENet's training step is ~10k nodes, which ONNX Runtime takes ~40 s to compile on 2 cores: too slow for a unit
  // test; its shapes are checked above and it trains through the same path as the U-Nets.
  for (const name of ['attention-unet2d']) {
    it(`${name} takes training steps with a finite, decreasing loss on a fixed batch`, async () => {
      const g = new Graph();
      const x = g.input('image', 'float32', [2, 1, 16, 16]);
      const t = g.input('label', 'uint8', [2, 16, 16]);
      const spec = getModel(name);
      const loss = buildLoss('ce', spec.build(x, 2, true, { ...spec.defaults, dropout: 0, dropoutStage1: 0, features: [4, 8] }), t);
      const session = await TrainingSession.create(g, loss, { optimizer: adam(), params: initParams(g, 1), threads: 1 });
      const image = new Float32Array(2 * 256);
      const label = new Uint8Array(2 * 256);
      for (let i = 0; i < 512; i++) label[i] = image[i] = (i % 16) >= 8 ? 1 : 0;
      const feeds = { image: { dtype: 'float32' as const, shape: [2, 1, 16, 16], data: image }, label: { dtype: 'uint8' as const, shape: [2, 16, 16], data: label } };
      const losses: number[] = [];
      for (let k = 0; k < 5; k++) losses.push((await session.step(feeds, 1e-2)).loss);
      await session.release();
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[4]).toBeLessThan(losses[0]);
    });
  }
});
