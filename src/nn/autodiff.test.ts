/** The graph walk of `grad`: fan-out accumulation, unreachable parameters, integer paths, missing rules. */
import { describe, expect, it } from 'vitest';
import { grad } from './autodiff.ts';
import * as F from './functional.ts';
import { Graph } from './graph.ts';
import { runGraph } from './run-graph.ts';
import { float32 } from './tensor.ts';

const xs = [-1.5, -0.25, 0.5, 2.75];

describe('grad', () => {
  it('sums the gradients of a value used several times: d/dx Σ(x·x + x) = 2x + 1', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [4]);
    const loss = F.reduceSum(F.add(F.mul(x, x), x), [0], false);
    const [dx] = grad(loss, [x]);
    const r = await runGraph(g, { dx }, { x: float32(xs, [4]) }, { threads: 1 });
    expect([...(r.dx.data as Float32Array)]).toEqual(xs.map((v) => 2 * v + 1));
  });

  it('gives zeros to a parameter the loss does not use', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [4]);
    const unused = g.input('unused', 'float32', [2, 3]);
    const [, du] = grad(F.reduceSum(x, [0], false), [x, unused]);
    const r = await runGraph(
      g,
      { du },
      { x: float32(xs, [4]), unused: float32(new Float32Array(6).fill(1), [2, 3]) },
      { threads: 1 },
    );
    expect(r.du.shape).toEqual([2, 3]);
    expect([...(r.du.data as Float32Array)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('passes no gradient through integer values: d/dx Σ(float(int(x))·x) = float(int(x))', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [4]);
    const truncated = F.cast(F.cast(x, 'int64'), 'float32');
    const [dx] = grad(F.reduceSum(F.mul(truncated, x), [0], false), [x]);
    const r = await runGraph(g, { dx }, { x: float32(xs, [4]) }, { threads: 1 });
    expect([...(r.dx.data as Float32Array)]).toEqual(xs.map((v) => Math.trunc(v) + 0));
  });

  it('names the operator whose rule is missing', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [6]);
    const strided = F.slice(x, [0], [6], [0], [2]);
    expect(() => grad(F.reduceSum(strided, [0], false), [x])).toThrow('Slice: only steps 1 and -1 have a gradient');
  });
});
