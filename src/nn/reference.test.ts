/**
 * Every case of the PyTorch reference (fixtures/nn-reference.json, float64): forward values and the gradients of
 * sum(output × upstream), to 1e-4 relative (1e-3 through normalisation) in float32.
 */
import { describe, expect, it } from 'vitest';
import { expectMatchesReference, referenceCases, type ReferenceCase } from '../../test/reference-cases.ts';
import { confusionProduct } from './confusion-product.ts';
import * as F from './functional.ts';
import type { Value } from './graph.ts';
import { crossEntropy, crossEntropyDice, meanAbsoluteError, softDice } from './losses.ts';
import { groupNorm } from './normalization.ts';

type Case = ReferenceCase;
const cases = referenceCases('nn-reference.json');

type Build = (v: Record<string, Value>, c: Case) => Value;
const nums = (c: Case, k: string): number[] => c.attrs[k] as number[];

function tinyUnet(v: Record<string, Value>): Value {
  const c3 = (x: Value, p: string) => F.relu(F.conv(x, v[`${p}_w`], v[`${p}_b`], { pads: [1, 1, 1, 1] }));
  const e = c3(c3(v.x, 'enc1'), 'enc2');
  const m = c3(F.maxPool(e, { kernel: [2, 2] }), 'mid');
  const u = F.concat([F.resize(m, { mode: 'nearest', scales: [1, 1, 2, 2] }), e], 1);
  const d = c3(u, 'dec');
  return crossEntropy(F.conv(d, v.head_w, v.head_b), v.target);
}

const builders: Record<string, Build> = {
  Conv: (v, c) =>
    F.conv(v.x, v.w, v.b, {
      strides: nums(c, 'strides'),
      pads: nums(c, 'pads'),
      dilations: nums(c, 'dilations'),
      group: c.attrs.group as number,
    }),
  ConvTranspose: (v, c) =>
    F.convTranspose(v.x, v.w, v.b, {
      strides: nums(c, 'strides'),
      pads: nums(c, 'pads'),
      outputPadding: (c.attrs.output_padding as number[]) ?? undefined,
    }),
  MaxPool: (v, c) =>
    F.maxPool(v.x, {
      kernel: nums(c, 'kernel_shape'),
      strides: nums(c, 'strides'),
      pads: c.attrs.pads as number[] | undefined,
    }),
  AveragePool: (v, c) => F.averagePool(v.x, { kernel: nums(c, 'kernel_shape'), strides: nums(c, 'strides') }),
  Resize: (v, c) => F.resize(v.x, { mode: c.attrs.mode as 'nearest' | 'linear', scales: nums(c, 'scales') }),
  InstanceNormalization: (v, c) => F.instanceNorm(v.x, v.scale, v.bias, c.attrs.epsilon as number),
  'BatchNormalization(training)': (v, c) => F.batchNormTraining(v.x, v.scale, v.bias, c.attrs.epsilon as number)[0],
  GroupNormalization: (v, c) =>
    groupNorm(v.x, v.scale, v.bias, c.attrs.num_groups as number, c.attrs.epsilon as number),
  Relu: (v) => F.relu(v.x),
  'LeakyRelu(alpha=0.01)': (v) => F.leakyRelu(v.x, 0.01),
  Sigmoid: (v) => F.sigmoid(v.x),
  Tanh: (v) => F.tanh(v.x),
  'Softmax(axis=1)': (v) => F.softmax(v.x, 1),
  'LogSoftmax(axis=1)': (v) => F.logSoftmax(v.x, 1),
  'Elu(alpha=1)': (v) => F.elu(v.x, 1),
  Abs: (v) => F.abs(v.x),
  PRelu: (v) => F.prelu(v.x, v.slope),
  MatMul: (v) => F.matmul(v.a, v.b),
  'Gemm(transB=1)': (v) => F.gemm(v.x, v.w, v.b, { transB: true }),
  'Concat(axis=1)': (v) => F.concat([v.a, v.b], 1),
  'Mul+Add with broadcasting': (v) => F.add(F.mul(v.a, v.b), v.c),
  'ReduceMean(axes=[2,3],keepdims=1)': (v) => F.reduceMean(v.x, [2, 3], true),
  'Pad(mode=reflect, pads=[0,0,1,2,0,0,1,2])': (v) => F.pad(v.x, { pads: [0, 0, 1, 2, 0, 0, 1, 2], mode: 'reflect' }),
  loss: (v, c) =>
    ({
      loss_ce: crossEntropy,
      loss_soft_dice: softDice,
      loss_mae: meanAbsoluteError,
      loss_ce_plus_dice: crossEntropyDice,
    })[c.name as 'loss_ce'](v.logits, v.target),
  network: (v) => tinyUnet(v),
};

function builderFor(c: Case): Build {
  if (c.op.startsWith('annotator CM product'))
    return (v) => confusionProduct(F.softmax(v.cm_logits, 1), F.softmax(v.p, 1));
  const b = builders[c.op];
  if (b === undefined) throw new Error(`no builder for fixture op '${c.op}'`);
  return b;
}

const throughNorm = (c: Case): boolean => /norm/i.test(c.name);

describe('nn-reference.json (PyTorch float64)', () => {
  it('has the 42 cases', () => {
    expect(cases.length).toBe(42);
  });

  for (const c of cases) {
    it(`${c.name}: forward and gradients match PyTorch`, async () => {
      await expectMatchesReference(c, (v) => builderFor(c)(v, c), throughNorm(c) ? 1e-3 : 1e-4);
    });
  }
});
