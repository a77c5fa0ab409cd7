import { describe, expect, it } from 'vitest';
import { Graph } from '../nn/graph.ts';
import { initParams } from '../nn/init.ts';
import { adam } from '../nn/optimizers.ts';
import { TrainingSession } from '../nn/training-session.ts';
import { buildLoss } from '../losses/losses.ts';
import { BUILTIN_MODELS, getModel } from './builtins.ts';
import { modelInfo } from './model-info.ts';

describe('model registry', () => {
  it('counts a tiny U-Net’s parameters as derived by hand', () => {
    // features [2, 4], 2 classes, no norm: enc0 3×3 convs 1→2 (18+2), 2→2 (36+2); enc1 2→4 (72+4), 4→4 (144+4);
    // up 2×2 transposed 4→2 (32+2); dec0 4→2 (72+2), 2→2 (36+2); head 1×1 2→2 (4+2) = 434.
    expect(modelInfo('unet2d', { classes: 2, model: { features: [2, 4], norm: 'none' } }).trainableParameters).toBe(
      434,
    );
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
      const logits = getModel(v.dims === 2 ? 'unet2d' : 'unet3d').build(
        g.input('image', 'float32', [1, 1, ...spatial]),
        4,
        true,
        { ...v, features: [2, 4, 8] },
      );
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
      const loss = buildLoss(
        'ce',
        spec.build(x, 2, true, { ...spec.defaults, dropout: 0, dropoutStage1: 0, features: [4, 8] }),
        t,
      );
      const session = await TrainingSession.create(g, loss, {
        optimizer: adam(),
        params: initParams(g, 1),
        threads: 1,
      });
      const image = new Float32Array(2 * 256);
      const label = new Uint8Array(2 * 256);
      for (let i = 0; i < 512; i++) label[i] = image[i] = i % 16 >= 8 ? 1 : 0;
      const feeds = {
        image: { dtype: 'float32' as const, shape: [2, 1, 16, 16], data: image },
        label: { dtype: 'uint8' as const, shape: [2, 16, 16], data: label },
      };
      const losses: number[] = [];
      for (let k = 0; k < 5; k++) losses.push((await session.step(feeds, 1e-2)).loss);
      await session.release();
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[4]).toBeLessThan(losses[0]);
    });
  }
});

describe('resnet18-unet2d', () => {
  it('counts the parameters derived by hand (ResNet-18 encoder + U-Net decoder, BatchNorm, 2 classes)', () => {
    // Encoder (convs without bias; BN γ, β = 2·C each):
    //   stem 7·7·1·64 = 3136, BN 128
    //   layer1: 2 blocks × (2 × 3·3·64·64 = 73728, 2 BN = 256)                                      = 147968
    //   layer2: 3·3·64·128 + 3·3·128·128 + 2 BN 512 + proj 64·128 + BN 256 = 230144; + 2·147456 + 512 = 525568
    //   layer3: 294912 + 589824 + 1024 + 32768 + 512 = 919040; + 2·589824 + 1024                    = 2099712
    //   layer4: 1179648 + 2359296 + 2048 + 131072 + 1024 = 3673088; + 2·2359296 + 2048              = 8393728
    //   encoder = 11170240 (torchvision's resnet18 without fc, 1 input channel: 11176512 − 6272)
    // Decoder, two 3×3 conv + BN per step (in = up + skip):
    //   768→256: 1769472 + 512 + 589824 + 512 = 2360320;  384→128: 442368 + 256 + 147456 + 256 = 590336
    //   192→64: 110592 + 128 + 36864 + 128 = 147712;      128→32: 36864 + 64 + 9216 + 64 = 46208
    //   32→16: 4608 + 32 + 2304 + 32 = 6976;              head 1×1 16→2: 32 + 2 = 34          → 3151586
    // Total 14321826; BN buffers (running mean, var) equal the BN weights: 11584 (5792 normalised channels).
    const bn = modelInfo('resnet18-unet2d', { classes: 2 });
    expect(bn.trainableParameters).toBe(14321826);
    expect(bn.bufferParameters).toBe(11584);
    // Conditional instance norm with 3 experts: γ, β per expert, 2·(3 − 1)·5792 = 23168 more, no buffers.
    const cin = modelInfo('resnet18-unet2d', { classes: 2, model: { norm: 'cin', experts: 3 } });
    expect(cin.trainableParameters).toBe(14321826 + 23168);
    expect(cin.bufferParameters).toBe(0);
  });

  it("scales every width with --width: the layout's count by hand at w = 64 (the default) and w = 16", () => {
    const bnConv = (cin: number, cout: number, k: number) => k * k * cin * cout + 2 * cout;
    const byHand = (w: number, classes: number): number => {
      let n = bnConv(1, w, 7) + 2 * bnConv(w, w, 3) * 2;
      for (const c of [2 * w, 4 * w, 8 * w])
        n += bnConv(c / 2, c, 3) + bnConv(c, c, 3) + bnConv(c / 2, c, 1) + 2 * bnConv(c, c, 3);
      const steps: [number, number][] = [
        [8 * w + 4 * w, 4 * w],
        [4 * w + 2 * w, 2 * w],
        [2 * w + w, w],
        [w + w, w / 2],
        [w / 2, w / 4],
      ];
      for (const [cin, c] of steps) n += bnConv(cin, c, 3) + bnConv(c, c, 3);
      return n + (w / 4) * classes + classes;
    };
    expect(byHand(64, 2)).toBe(14321826);
    expect(modelInfo('resnet18-unet2d', { classes: 2, model: { width: 64 } }).trainableParameters).toBe(14321826);
    expect(modelInfo('resnet18-unet2d', { classes: 2, model: { width: 16 } }).trainableParameters).toBe(byHand(16, 2));
    expect(() => modelInfo('resnet18-unet2d', { classes: 2, model: { width: 10 } })).toThrow(
      /width must be a positive multiple of 4, got 10/,
    );
  });

  it('maps [N, 1, 64, 64] to logits [N, classes, 64, 64] with every normalisation', () => {
    for (const norm of ['batch', 'instance', 'cin'] as const) {
      const g = new Graph();
      const expert = g.input('expert', 'int64', [2]);
      const logits = getModel('resnet18-unet2d').build(
        g.input('image', 'float32', [2, 1, 64, 64]),
        3,
        true,
        { norm, experts: 2 },
        { expert },
      );
      expect(logits.shape, norm).toEqual([2, 3, 64, 64]);
    }
  });

  it('rejects conditional instance norm without an expert input', () => {
    const g = new Graph();
    expect(() =>
      getModel('resnet18-unet2d').build(g.input('image', 'float32', [1, 1, 32, 32]), 2, true, {
        norm: 'cin',
        experts: 2,
      }),
    ).toThrow(/expert index input/);
  });
});
