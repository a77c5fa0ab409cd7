/**
 * Every operator's gradient rule against central finite differences on random shapes, broadcasting included
 * (see gradcheck.ts). Tolerance 2e-2: float32 central differences with ε = 1e-2.
 */
import { describe, expect, it } from 'vitest';
import { confusionProduct } from './confusion-product.ts';
import * as F from './functional.ts';
import { checkGradients, type CheckedInput } from './gradcheck.ts';
import type { Value } from './graph.ts';
import { crossEntropyDice, meanAbsoluteErrorDice } from './losses.ts';
import { groupNorm, layerNorm } from './normalization.ts';
import { builtinOps } from './ops/builtins.ts';
import type { OpDef, ValueType } from './ops/types.ts';

const n = (...shape: number[]): CheckedInput => ({ shape });
const away = (...shape: number[]): CheckedInput => ({ shape, kind: 'awayFromZero' });
const pos = (...shape: number[]): CheckedInput => ({ shape, kind: 'positive' });
const distinct = (...shape: number[]): CheckedInput => ({ shape, kind: 'distinct' });

const cases: [string, CheckedInput[], (...xs: Value[]) => Value][] = [
  ['Add broadcasting [2,3,4] + [3,1]', [n(2, 3, 4), n(3, 1)], F.add],
  ['Sub broadcasting [4] − [2,3,4]', [n(4), n(2, 3, 4)], F.sub],
  ['Mul broadcasting [2,1,4] · [3,1]', [n(2, 1, 4), n(3, 1)], F.mul],
  ['Div broadcasting [2,3] / [3]', [n(2, 3), pos(3)], F.div],
  ['Neg', [n(3, 4)], F.neg],
  ['Pow with exponent 3 and 0.5', [pos(2, 5)], (x) => F.add(F.pow(x, 3), F.pow(x, 0.5))],
  ['Exp', [n(2, 5)], F.exp],
  ['Log', [pos(2, 5)], F.log],
  ['Sqrt', [pos(2, 5)], F.sqrt],
  ['Abs', [away(2, 5)], F.abs],
  [
    'Clip to [−0.1, 0.1] (values clear of the bounds)',
    [away(3, 4)],
    (x) => F.clip(F.mul(x, x.graph.scalar(0.5)), -0.1, 0.1),
  ],
  [
    'Where with broadcast condition',
    [away(3, 4), n(3, 4), n(4)],
    (c, a, b) => F.where(F.greater(c, c.graph.scalar(0)), a, b),
  ],
  ['Identity and Cast', [n(3)], (x) => F.cast(F.identity(x), 'float32')],
  ['Relu', [away(2, 3, 4)], F.relu],
  ['LeakyRelu', [away(2, 3, 4)], (x) => F.leakyRelu(x, 0.1)],
  ['PRelu with per-channel slope', [away(2, 3, 4, 2), n(3)], F.prelu],
  ['Elu', [away(2, 3, 4)], (x) => F.elu(x, 0.7)],
  ['Sigmoid', [n(2, 3, 4)], F.sigmoid],
  ['Tanh', [n(2, 3, 4)], F.tanh],
  ['Softmax on the last axis', [n(2, 3, 4)], (x) => F.softmax(x, -1)],
  ['LogSoftmax on axis 1', [n(2, 3, 4)], (x) => F.logSoftmax(x, 1)],
  ['MatMul with broadcast batch axes', [n(2, 1, 3, 4), n(5, 4, 2)], F.matmul],
  [
    'Gemm with transA, alpha, beta and broadcast C',
    [n(4, 3), n(4, 5), n(5)],
    (a, b, c) => F.gemm(a, b, c, { transA: true, alpha: 0.5, beta: 2 }),
  ],
  ['Gemm with transB', [n(3, 4), n(5, 4), n(1, 5)], (a, b, c) => F.gemm(a, b, c, { transB: true })],
  [
    'Conv 1-D stride 2, asymmetric pads',
    [n(2, 3, 11), n(4, 3, 3), n(4)],
    (x, w, b) => F.conv(x, w, b, { strides: [2], pads: [1, 2] }),
  ],
  [
    'Conv 2-D groups 2, dilation 2',
    [n(1, 4, 7, 6), n(6, 2, 3, 3), n(6)],
    (x, w, b) => F.conv(x, w, b, { pads: [2, 2, 2, 2], dilations: [2, 2], group: 2 }),
  ],
  [
    'Conv 2-D stride 2 with fewer output channels',
    [n(2, 5, 8, 7), n(2, 5, 3, 3)],
    (x, w) => F.conv(x, w, null, { strides: [2, 2], pads: [1, 0, 1, 1] }),
  ],
  [
    'Conv 3-D stride 1',
    [n(1, 2, 4, 5, 3), n(3, 2, 3, 3, 3), n(3)],
    (x, w, b) => F.conv(x, w, b, { pads: [1, 1, 1, 1, 1, 1] }),
  ],
  [
    'ConvTranspose 1-D stride 3, output padding',
    [n(2, 3, 4), n(3, 2, 4), n(2)],
    (x, w, b) => F.convTranspose(x, w, b, { strides: [3], pads: [1, 1], outputPadding: [1] }),
  ],
  [
    'ConvTranspose 2-D groups 2',
    [n(1, 4, 3, 4), n(4, 1, 2, 2)],
    (x, w) => F.convTranspose(x, w, null, { strides: [2, 2], group: 2 }),
  ],
  [
    'MaxPool 1-D overlapping windows',
    [distinct(2, 2, 9)],
    (x) => F.maxPool(x, { kernel: [3], strides: [2], pads: [1, 1] }),
  ],
  ['MaxPool 2-D', [distinct(2, 3, 6, 4)], (x) => F.maxPool(x, { kernel: [2, 2] })],
  ['MaxPool 3-D', [distinct(1, 2, 4, 4, 2)], (x) => F.maxPool(x, { kernel: [2, 2, 2] })],
  [
    'MaxUnpool at MaxPool indices (ENet)',
    [distinct(2, 2, 6, 4), n(2, 2, 3, 2)],
    (x, v) =>
      F.maxUnpool(v, F.maxPoolWithIndices(x, { kernel: [2, 2] })[1], { kernel: [2, 2], outputShape: [2, 2, 6, 4] }),
  ],
  [
    'AveragePool with padding (padding not counted)',
    [n(2, 2, 7, 5)],
    (x) => F.averagePool(x, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  ],
  ['GlobalAveragePool', [n(2, 3, 4, 5)], F.globalAveragePool],
  ['Resize nearest ×3 ×2', [n(1, 2, 3, 4)], (x) => F.resize(x, { mode: 'nearest', scales: [1, 1, 3, 2] })],
  ['Resize linear ×2 2-D', [n(2, 2, 3, 5)], (x) => F.resize(x, { mode: 'linear', scales: [1, 1, 2, 2] })],
  ['Resize linear ×2 3-D', [n(1, 2, 3, 2, 4)], (x) => F.resize(x, { mode: 'linear', scales: [1, 1, 2, 2, 2] })],
  ['Concat on axis 2', [n(2, 3, 1), n(2, 3, 4)], (a, b) => F.concat([a, b], 2)],
  ['Split with an unused part', [n(2, 7)], (x) => F.split(x, 1, [2, 4, 1])[1]],
  ['Slice with negative index and reversed step', [n(4, 6, 5)], (x) => F.slice(x, [1, -1], [4, 0], [0, 2], [1, -1])],
  ['Transpose', [n(2, 3, 4)], (x) => F.transpose(x, [2, 0, 1])],
  [
    'Reshape, Flatten, Squeeze, Unsqueeze',
    [n(2, 1, 6)],
    (x) => F.unsqueeze(F.squeeze(F.flatten(F.reshape(x, [2, 3, -1]), 1), []), [0]),
  ],
  ['Expand', [n(3, 1)], (x) => F.expand(x, [2, 3, 4])],
  ['Pad constant', [n(2, 3, 4)], (x) => F.pad(x, { pads: [0, 1, 2, 1, 0, 1] })],
  ['Pad reflect on three axes', [n(1, 4, 5, 6)], (x) => F.pad(x, { pads: [0, 1, 2, 3, 0, 2, 1, 0], mode: 'reflect' })],
  ['ReduceSum without keepdims', [n(2, 3, 4)], (x) => F.reduceSum(x, [0, 2], false)],
  ['ReduceMean', [n(2, 3, 4)], (x) => F.reduceMean(x, [1])],
  ['ReduceMax of distinct values', [distinct(2, 3, 4)], (x) => F.reduceMax(x, [2], false)],
  ['InstanceNormalization', [n(2, 3, 4, 5), n(3), n(3)], (x, s, b) => F.instanceNorm(x, s, b)],
  [
    'BatchNormalization inference mode',
    [n(2, 3, 4), n(3), n(3), n(3), pos(3)],
    (x, s, b, m, v) => F.batchNormInference(x, s, b, m, v),
  ],
  ['BatchNormalization training mode', [n(3, 2, 4, 3), n(2), n(2)], (x, s, b) => F.batchNormTraining(x, s, b)[0]],
  ['GroupNorm (composition)', [n(2, 4, 3, 3), n(4), n(4)], (x, s, b) => groupNorm(x, s, b, 2)],
  ['LayerNorm (composition)', [n(2, 3, 5), n(3), n(3)], (x, s, b) => layerNorm(x, s, b)],
  [
    'Annotator confusion-matrix product',
    [n(2, 3, 3, 2, 2), n(2, 3, 2, 2)],
    (cm, p) => confusionProduct(F.softmax(cm, 1), F.softmax(p, 1)),
  ],
];

describe('gradient rules agree with finite differences', () => {
  for (const [name, inputs, build] of cases) {
    it(name, async () => {
      const r = await checkGradients(inputs, build);
      expect(r.maxRelError).toBeLessThan(2e-2);
    });
  }

  it('Max and Min pass the gradient to the larger and the smaller operand', async () => {
    // b is a shifted by 0.05 off a's 0.1 grid, so no pair ties; a small ε keeps perturbations from swapping them.
    const shifted = (a: Value, b: Value) => F.add(F.mul(b, b.graph.scalar(0)), F.add(F.neg(a), a.graph.scalar(0.05)));
    const r = await checkGradients(
      [distinct(3, 4), n(3, 4)],
      (a, b) => F.add(F.max(a, shifted(a, b)), F.min(shifted(a, b), F.mul(a, a.graph.scalar(2)))),
      { eps: 2e-3 },
    );
    expect(r.maxRelError).toBeLessThan(2e-2);
  });

  it('Gather (embedding lookup) sums the rows of repeated indices', async () => {
    const r = await checkGradients([n(5, 3), { shape: [2, 3], int64: [0, 4, 0, 2, 2, 1] }], (t, i) =>
      F.gather(t, i, 0),
    );
    expect(r.outputShape).toEqual([2, 3, 3]);
    expect(r.maxRelError).toBeLessThan(2e-2);
  });

  it('GatherElements adds the gradient of repeated reads', async () => {
    const r = await checkGradients([n(2, 4), { shape: [2, 3], int64: [0, 3, 3, 1, 1, 1] }], (d, i) =>
      F.gatherElements(d, i, 1),
    );
    expect(r.maxRelError).toBeLessThan(2e-2);
  });

  it('losses: CE + Dice and MAE + Dice', async () => {
    const target: CheckedInput = { shape: [2, 3, 3], int64: [0, 1, 2, 2, 1, 0, 1, 1, 0, 2, 2, 2, 0, 0, 1, 1, 2, 0] };
    expect((await checkGradients([n(2, 3, 3, 3), target], (l, t) => crossEntropyDice(l, t))).maxRelError).toBeLessThan(
      2e-2,
    );
    expect(
      (await checkGradients([n(2, 3, 3, 3), target], (l, t) => meanAbsoluteErrorDice(l, t))).maxRelError,
    ).toBeLessThan(2e-2);
  });

  it('the checker rejects a wrong rule', async () => {
    // x² lowered to Mul(x, x) but with the rule dx = dy·x (the factor 2 missing).
    const badSquare: OpDef = {
      name: 'BadSquare',
      inferShape: (inputs) => [inputs[0] as ValueType],
      toOnnx: (node, e) => e.node('Mul', [e.name(node.inputs[0]), e.name(node.inputs[0])], [e.name(node.outputs[0])]),
      grad: (node, [dy]) => [F.mul(dy as Value, node.inputs[0] as Value)],
    };
    const ops = new Map([...builtinOps(), ['BadSquare', badSquare]]);
    const r = await checkGradients([n(6)], (x) => x.graph.apply('BadSquare', [x])[0], { ops });
    expect(r.maxRelError).toBeGreaterThan(0.3);
  });
});
