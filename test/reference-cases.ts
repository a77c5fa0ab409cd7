/**
 * Reading and checking the PyTorch reference cases of fixtures/nn-*.json: each case pins forward values and the
 * gradients of sum(output × upstream); integer inputs (labels, expert indices) are in `constants` and fed as int64.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { grad } from '../src/nn/autodiff.ts';
import * as F from '../src/nn/functional.ts';
import { Graph, type Value } from '../src/nn/graph.ts';
import { runGraph } from '../src/nn/run-graph.ts';
import { int64, type TensorData } from '../src/nn/tensor.ts';
import { fixturePath } from './fixtures.ts';
import { relErr } from './relative-error.ts';

export { relErr };

export interface Tensor64 {
  shape: number[];
  data: number[];
}

export interface ReferenceCase {
  name: string;
  op: string;
  attrs: Record<string, unknown>;
  inputs: Record<string, Tensor64>;
  output: Tensor64;
  upstream: Tensor64 | null;
  grads: Record<string, Tensor64> | null;
  /** Integer inputs fed as int64: `constants` (nn-wave2.json) or `target` (nn-reference.json). */
  constants?: Record<string, Tensor64>;
  target?: Tensor64;
}

/** Every case of fixture file `file`. */
export function referenceCases(file: string): ReferenceCase[] {
  return JSON.parse(readFileSync(fixturePath(file), 'utf8')) as ReferenceCase[];
}

/** The case `name` of fixture file `file`. */
export function referenceCase(file: string, name: string): ReferenceCase {
  const c = referenceCases(file).find((k) => k.name === name);
  if (c === undefined) throw new Error(`${file} has no case ${name}`);
  return c;
}

/** Builds `build(inputs)` on the case's inputs, runs it and asserts values (1e-4) and gradients (`gradTol`). */
export async function expectMatchesReference(
  c: ReferenceCase,
  build: (v: Record<string, Value>) => Value,
  gradTol = 1e-4,
): Promise<void> {
  const g = new Graph();
  const v: Record<string, Value> = {};
  const feeds: Record<string, TensorData> = {};
  for (const [k, t] of Object.entries(c.inputs)) {
    v[k] = g.input(k, 'float32', t.shape);
    feeds[k] = { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) };
  }
  const integers = { ...c.constants, ...(c.target ? { target: c.target } : {}) };
  for (const [k, t] of Object.entries(integers)) {
    v[k] = g.input(k, 'int64', t.shape);
    feeds[k] = int64(t.data, t.shape);
  }
  const y = build(v);
  expect(y.shape).toEqual(c.output.shape);
  const up = c.upstream as Tensor64;
  const upstream = g.input('upstream', 'float32', up.shape);
  feeds.upstream = { dtype: 'float32', shape: up.shape, data: Float32Array.from(up.data) };
  const objective = F.reduceSum(
    F.mul(y, upstream),
    y.shape.map((_, i) => i),
    false,
  );
  const want = c.grads as Record<string, Tensor64>;
  const names = Object.keys(want);
  const grads = grad(
    objective,
    names.map((k) => v[k]),
  );
  const outputs: Record<string, Value> = { y: F.identity(y) };
  names.forEach((k, i) => (outputs[`d_${k}`] = grads[i]));
  const res = await runGraph(g, outputs, feeds, { threads: 1 });
  expect(relErr(res.y.data as Float32Array, c.output.data), `${c.name} values`).toBeLessThanOrEqual(1e-4);
  for (const k of names) {
    expect(res[`d_${k}`].shape, k).toEqual(want[k].shape);
    expect(relErr(res[`d_${k}`].data as Float32Array, want[k].data), `${c.name}: gradient of ${k}`).toBeLessThanOrEqual(
      gradTol,
    );
  }
}
