/**
 * The registration cases of fixtures/nn-wave2.json (PyTorch float64): border-padded 2D/3D warping, scaling and
 * squaring, VoxelMorph's local NCC and l2 smoothness — forward values and the gradients of sum(output × upstream),
 * to 1e-4 relative in float32.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { grad } from './autodiff.ts';
import * as F from './functional.ts';
import { Graph, type Value } from './graph.ts';
import { gradL2Loss, nccLoss } from '../losses/registration-losses.ts';
import { runGraph } from './run-graph.ts';
import type { TensorData } from './tensor.ts';
import { scalingAndSquaring, warp2d, warp3d } from './warp.ts';
import { relErr } from '../../test/relative-error.ts';

interface Tensor64 {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  inputs: Record<string, Tensor64>;
  constants?: Record<string, Tensor64>;
  output: Tensor64;
  upstream: Tensor64;
  grads: Record<string, Tensor64>;
}

const all: Case[] = JSON.parse(readFileSync(fixturePath('nn-wave2.json'), 'utf8'));

const builders: Record<string, (v: Record<string, Value>) => Value> = {
  warp2d_border: (v) => warp2d(v.image, v.flow),
  warp3d_border: (v) => warp3d(v.image, v.flow),
  scaling_squaring_2d: (v) => scalingAndSquaring(v.v, 7),
  ncc_loss_2d: (v) => nccLoss(v.fixed, v.moving, 9),
  grad_l2_2d: (v) => gradL2Loss(v.flow),
};

describe('nn-wave2.json registration cases (PyTorch float64)', () => {
  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: forward and gradients match PyTorch`, async () => {
      const c = all.find((x) => x.name === name) as Case;
      expect(c, name).toBeDefined();
      const g = new Graph();
      const v: Record<string, Value> = {};
      const feeds: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries({ ...c.inputs, ...(c.constants ?? {}) })) {
        v[k] = g.input(k, 'float32', t.shape);
        feeds[k] = { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) };
      }
      const y = build(v);
      expect(y.shape).toEqual(c.output.shape);
      const up = g.input('upstream', 'float32', c.upstream.shape);
      feeds.upstream = { dtype: 'float32', shape: c.upstream.shape, data: Float32Array.from(c.upstream.data) };
      const objective = F.reduceSum(
        F.mul(y, up),
        y.shape.map((_, i) => i),
        false,
      );
      const names = Object.keys(c.grads);
      const grads = grad(
        objective,
        names.map((k) => v[k]),
      );
      const outputs: Record<string, Value> = { y: F.identity(y) };
      names.forEach((k, i) => (outputs[`d_${k}`] = grads[i]));
      const res = await runGraph(g, outputs, feeds, { threads: 1 });
      expect(relErr(res.y.data as Float32Array, c.output.data)).toBeLessThanOrEqual(1e-4);
      for (const k of names) {
        expect(res[`d_${k}`].shape, k).toEqual(c.grads[k].shape);
        expect(relErr(res[`d_${k}`].data as Float32Array, c.grads[k].data), `gradient of ${k}`).toBeLessThanOrEqual(
          1e-4,
        );
      }
    });
  }
});
