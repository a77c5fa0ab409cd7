/** Every weight-gradient lowering gives the same dW (the textbook form is the reference), across geometries. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../graph.ts';
import { Prng } from '../prng.ts';
import { runGraph } from '../run-graph.ts';
import type { TensorData } from '../tensor.ts';
import { chooseWeightGradLowering, convWeightGrad, type ConvGeometry, type WeightGradLowering } from './conv-grad.ts';

function random(shape: number[], rng: Prng): TensorData {
  return {
    dtype: 'float32',
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
  };
}

const cases: [string, number[], number[], ConvGeometry, WeightGradLowering[]][] = [
  [
    '2-D 3×3 pad 1',
    [2, 3, 7, 6],
    [5, 3, 3, 3],
    { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
    ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather'],
  ],
  [
    '2-D dilation 2, asymmetric pads',
    [2, 4, 9, 8],
    [3, 4, 3, 3],
    { strides: [1, 1], pads: [2, 1, 0, 2], dilations: [2, 2], group: 1 },
    ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather'],
  ],
  [
    '2-D 5×3 kernel, no padding',
    [1, 2, 8, 6],
    [4, 2, 5, 3],
    { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 },
    ['shift-x', 'shift-split', 'shift-split-gather'],
  ],
  [
    '3-D 3×3×3 pad 1',
    [1, 2, 4, 5, 3],
    [3, 2, 3, 3, 3],
    { strides: [1, 1, 1], pads: [1, 1, 1, 1, 1, 1], dilations: [1, 1, 1], group: 1 },
    ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather'],
  ],
  [
    '3-D dilation 2 (HighRes3DNet)',
    [1, 3, 6, 5, 7],
    [3, 3, 3, 3, 3],
    { strides: [1, 1, 1], pads: [2, 2, 2, 2, 2, 2], dilations: [2, 2, 2], group: 1 },
    ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather'],
  ],
  [
    '1-D stride 1',
    [2, 3, 10],
    [2, 3, 3],
    { strides: [1], pads: [1, 1], dilations: [1], group: 1 },
    ['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather'],
  ],
  [
    '2-D stride 2 (strided shift of x)',
    [2, 3, 9, 8],
    [4, 3, 3, 3],
    { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
    ['shift-x'],
  ],
  [
    '2-D 2×2 stride 2 (the U-Net up-sampling)',
    [2, 3, 8, 8],
    [4, 3, 2, 2],
    { strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 },
    ['shift-x'],
  ],
];

describe('convolution weight-gradient lowerings', () => {
  for (const [name, xShape, wShape, geom, lowerings] of cases) {
    it(`${name}: ${lowerings.join(', ')} and the automatic choice equal the textbook form`, async () => {
      const rng = new Prng(11);
      const g = new Graph();
      const x = g.input('x', 'float32', xShape);
      const w = g.input('w', 'float32', wShape);
      const out = xShape
        .slice(2)
        .map(
          (d, i) =>
            Math.floor(
              (d + geom.pads[i] + geom.pads[i + xShape.length - 2] - geom.dilations[i] * (wShape[2 + i] - 1) - 1) /
                geom.strides[i],
            ) + 1,
        );
      const dy = g.input('dy', 'float32', [xShape[0], wShape[0], ...out]);
      const outputs = Object.fromEntries(
        [...lowerings, 'textbook' as const].map((l) => [l, convWeightGrad(x, dy, w, geom, l)]),
      );
      outputs.auto = convWeightGrad(x, dy, w, geom);
      expect(['shift-x', 'shift-dy', 'shift-split', 'shift-split-gather']).toContain(
        chooseWeightGradLowering(x, dy, w, geom),
      );
      const res = await runGraph(
        g,
        outputs,
        { x: random(xShape, rng), dy: random(dy.staticShape, rng) },
        { threads: 1 },
      );
      const ref = res.textbook.data as Float32Array;
      for (const l of [...lowerings, 'auto']) {
        expect(res[l].shape).toEqual(wShape);
        const got = res[l].data as Float32Array;
        for (let i = 0; i < ref.length; i++)
          expect(Math.abs(got[i] - ref[i]), `${l}[${i}]`).toBeLessThan(1e-4 * (1 + Math.abs(ref[i])));
      }
    });
  }
});
