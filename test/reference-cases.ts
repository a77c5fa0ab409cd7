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

/** A case's float inputs as a float32 feed. */
export function float32Tensor(t: Tensor64): TensorData {
  return { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) };
}

export interface ExpectMatchesReferenceOptions {
  /** How the case's `constants` are fed: int64 (labels, expert indices; the default) or float32 (images). */
  constants?: 'int64' | 'float32';
}

/** Builds `build(inputs)` on the case's inputs, runs it and asserts values (1e-4) and gradients (`gradTol`). */
export async function expectMatchesReference(
  c: ReferenceCase,
  build: (v: Record<string, Value>) => Value,
  gradTol = 1e-4,
  options: ExpectMatchesReferenceOptions = {},
): Promise<void> {
  const g = new Graph();
  const v: Record<string, Value> = {};
  const feeds: Record<string, TensorData> = {};
  const floatConstants = options.constants === 'float32';
  const floats = { ...c.inputs, ...(floatConstants ? c.constants : {}) };
  for (const [k, t] of Object.entries(floats)) {
    v[k] = g.input(k, 'float32', t.shape);
    feeds[k] = float32Tensor(t);
  }
  const integers = { ...(floatConstants ? {} : c.constants), ...(c.target ? { target: c.target } : {}) };
  for (const [k, t] of Object.entries(integers)) {
    v[k] = g.input(k, 'int64', t.shape);
    feeds[k] = int64(t.data, t.shape);
  }
  const y = build(v);
  expect(y.shape).toEqual(c.output.shape);
  const up = c.upstream as Tensor64;
  const upstream = g.input('upstream', 'float32', up.shape);
  feeds.upstream = float32Tensor(up);
  const objective = F.reduceSum(
    F.mul(y, upstream),
    y.shape.map((_, i) => i),
    false,
  );
  await expectValueAndGradients({ graph: g, feeds, inputs: v, output: y, objective }, c, gradTol);
}

export interface ReferenceRun {
  graph: Graph;
  feeds: Record<string, TensorData>;
  /** The graph inputs by the case's names; the gradients are taken with respect to those named in `grads`. */
  inputs: Record<string, Value>;
  /** Compared with the case's `output`. */
  output: Value;
  /** Differentiated: sum(output × upstream), or the output itself where it is a scalar loss. */
  objective: Value;
}

/** Runs `run.output` and the gradients of `run.objective`, asserting values (1e-4) and gradients (`gradTol`). */
export async function expectValueAndGradients(
  run: ReferenceRun,
  c: Pick<ReferenceCase, 'name' | 'output' | 'grads'>,
  gradTol = 1e-4,
): Promise<void> {
  const want = c.grads as Record<string, Tensor64>;
  const names = Object.keys(want);
  const grads = grad(
    run.objective,
    names.map((k) => run.inputs[k]),
  );
  const outputs: Record<string, Value> = { y: F.identity(run.output) };
  names.forEach((k, i) => (outputs[`d_${k}`] = grads[i]));
  const res = await runGraph(run.graph, outputs, run.feeds, { threads: 1 });
  expect(relErr(res.y.data as Float32Array, c.output.data), `${c.name} values`).toBeLessThanOrEqual(1e-4);
  for (const k of names) {
    expect(res[`d_${k}`].shape, k).toEqual(want[k].shape);
    expect(relErr(res[`d_${k}`].data as Float32Array, want[k].data), `${c.name}: gradient of ${k}`).toBeLessThanOrEqual(
      gradTol,
    );
  }
}
