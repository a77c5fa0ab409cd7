/**
 * HighRes3DNet against PyTorch: the dilated 3D convolutions and one residual block (2 → 4 channels, dilation 2)
 * of fixtures/nn-wave2.json (float64) — forward values and the gradients of sum(output × upstream), to 1e-4
 * relative (1e-3 through BatchNorm) in float32 — and the twin's parameter count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { relErr } from '../../test/relative-error.ts';
import { grad } from '../nn/autodiff.ts';
import * as F from '../nn/functional.ts';
import { Graph, type Value } from '../nn/graph.ts';
import { runGraph } from '../nn/run-graph.ts';
import type { TensorData } from '../nn/tensor.ts';
import { highResBlock } from './highres3dnet.ts';
import { modelInfo } from './model-info.ts';

interface Tensor64 {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  attrs: Record<string, unknown>;
  inputs: Record<string, Tensor64>;
  output: Tensor64;
  upstream: Tensor64;
  grads: Record<string, Tensor64>;
}

const wave2: Case[] = JSON.parse(readFileSync(fixturePath('nn-wave2.json'), 'utf8'));
const fixture = (name: string): Case => {
  const c = wave2.find((k) => k.name === name);
  if (c === undefined) throw new Error(`nn-wave2.json has no case '${name}'`);
  return c;
};

/**
 * Builds the case with `build`, which takes its graph inputs from `input(fixture name)` or names a parameter
 * (by its graph name) that a fixture input feeds, and checks the output and the gradients.
 */
async function check(
  c: Case,
  build: (g: Graph, input: (name: string) => Value) => { y: Value; feedsParams?: Record<string, string> },
  tol: number,
): Promise<void> {
  const g = new Graph();
  const v: Record<string, Value> = {};
  const input = (k: string): Value => (v[k] = g.input(k, 'float32', c.inputs[k].shape));
  const { y, feedsParams = {} } = build(g, input);
  const feeds: Record<string, TensorData> = {};
  for (const [k, t] of Object.entries(c.inputs)) {
    const name = feedsParams[k] ?? k;
    if (feedsParams[k] !== undefined) v[k] = (g.params.get(name) as { value: Value }).value;
    feeds[v[k].name] = { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) };
  }
  expect(y.shape).toEqual(c.output.shape);
  const up = g.input('upstream', 'float32', c.upstream.shape);
  feeds.upstream = { dtype: 'float32', shape: c.upstream.shape, data: Float32Array.from(c.upstream.data) };
  const names = Object.keys(c.grads);
  const grads = grad(
    F.reduceSum(
      F.mul(y, up),
      y.shape.map((_, i) => i),
      false,
    ),
    names.map((k) => v[k]),
  );
  const outputs: Record<string, Value> = { y: F.identity(y) };
  names.forEach((k, i) => (outputs[`d_${k}`] = grads[i]));
  const res = await runGraph(g, outputs, feeds, { threads: 1 });
  expect(relErr(res.y.data as Float32Array, c.output.data)).toBeLessThanOrEqual(tol);
  for (const k of names)
    expect(relErr(res[`d_${k}`].data as Float32Array, c.grads[k].data), `gradient of ${k}`).toBeLessThanOrEqual(tol);
}

describe('HighRes3DNet (nn-wave2.json, PyTorch float64)', () => {
  for (const name of ['conv3d_dilated_d2_nobias', 'conv3d_dilated_d4_nobias']) {
    it(`${name}: dilated 3D conv forward, input and weight gradients match PyTorch`, async () => {
      const c = fixture(name);
      const attrs = c.attrs as { strides: number[]; pads: number[]; dilations: number[] };
      await check(
        c,
        (_, input) => ({
          y: F.conv(input('x'), input('w'), null, {
            strides: attrs.strides,
            pads: attrs.pads,
            dilations: attrs.dilations,
          }),
        }),
        1e-4,
      );
    });
  }

  it('highres3dnet_block_2to4_d2: a residual block (pre-activation, zero-padded identity) matches PyTorch', async () => {
    // The block's parameters are graph values named by layer; fixture inputs s1, b1, w1, s2, b2, w2 feed them.
    const c = fixture('highres3dnet_block_2to4_d2');
    const feedsParams = {
      s1: 'blk.bn1.weight',
      b1: 'blk.bn1.bias',
      w1: 'blk.conv1.weight',
      s2: 'blk.bn2.weight',
      b2: 'blk.bn2.bias',
      w2: 'blk.conv2.weight',
    };
    await check(c, (_, input) => ({ y: highResBlock('blk', input('x'), 4, 2, true), feedsParams }), 1e-3);
  });

  it('counts 808,865 trainable parameters for one input and one output channel, as the PyTorch twin', () => {
    const info = modelInfo('highres3dnet');
    expect(info.classes).toBe(1);
    expect(info.trainableParameters).toBe(808_865);
  });
});
