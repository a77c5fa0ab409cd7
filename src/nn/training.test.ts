/**
 * End-to-end training: a small CNN learns a toy segmentation, a resumed run equals an uninterrupted one, and the
 * exported inference model reproduces the graph's forward output in a fresh session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint.ts';
import * as F from './functional.ts';
import { Graph, type Value } from './graph.ts';
import { initParams } from './init.ts';
import { batchNormLayer, convLayer } from './layers.ts';
import { crossEntropy } from './losses.ts';
import { toOnnxModel } from './onnx.ts';
import { adam } from './optimizers.ts';
import { Prng } from './prng.ts';
import { runGraph } from './run-graph.ts';
import { Session } from './session.ts';
import { int64, type TensorData } from './tensor.ts';
import { TrainingSession } from './training-session.ts';

const SIZE = 16;
const BATCH = 4;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Noisy images with one bright axis-aligned rectangle; the target marks the rectangle. */
function toyBatch(rng: Prng): Record<string, TensorData> {
  const x = new Float32Array(BATCH * SIZE * SIZE);
  const t = new Array<number>(BATCH * SIZE * SIZE).fill(0);
  for (let b = 0; b < BATCH; b++) {
    const [r0, c0] = [Math.floor(rng.uniform() * 8), Math.floor(rng.uniform() * 8)];
    const [h, w] = [4 + Math.floor(rng.uniform() * 5), 4 + Math.floor(rng.uniform() * 5)];
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const inside = r >= r0 && r < r0 + h && c >= c0 && c < c0 + w;
        const i = (b * SIZE + r) * SIZE + c;
        x[i] = (inside ? 1 : 0) + 0.3 * rng.normal();
        t[i] = inside ? 1 : 0;
      }
    }
  }
  return { x: { dtype: 'float32', shape: [BATCH, 1, SIZE, SIZE], data: x }, target: int64(t, [BATCH, SIZE, SIZE]) };
}

/** conv3×3(1→8) → BatchNorm → ReLU → conv3×3(8→8) → ReLU → conv1×1(8→2). */
function smallCnn(g: Graph, x: Value, training: boolean): Value {
  let h = convLayer('conv1', x, { outChannels: 8, kernel: [3, 3], padding: [1, 1] });
  h = F.relu(batchNormLayer('bn1', h, { training }));
  h = F.relu(convLayer('conv2', h, { outChannels: 8, kernel: [3, 3], padding: [1, 1] }));
  return g.scope('head', () => convLayer('conv', h, { outChannels: 2, kernel: [1, 1] }));
}

function trainingGraph(): { g: Graph; loss: Value } {
  const g = new Graph();
  const x = g.input('x', 'float32', [BATCH, 1, SIZE, SIZE]);
  const target = g.input('target', 'int64', [BATCH, SIZE, SIZE]);
  return { g, loss: crossEntropy(smallCnn(g, x, true), target) };
}

async function train(
  steps: number,
  params: Map<string, Float32Array>,
  from?: { dir: string },
): Promise<{ session: TrainingSession; losses: number[] }> {
  const { g, loss } = trainingGraph();
  const session = await TrainingSession.create(g, loss, { optimizer: adam(), params, threads: 2 });
  const rng = new Prng(7);
  if (from) {
    const ck = readCheckpoint(from.dir);
    session.restore(ck.params, ck.optimizerState, ck.step);
    for (let i = 0; i < ck.step; i++) toyBatch(rng);
  }
  const losses: number[] = [];
  while (session.stepCount < steps) losses.push((await session.step(toyBatch(rng), 1e-2)).loss);
  return { session, losses };
}

function inferenceModel(params: ReadonlyMap<string, Float32Array>): Uint8Array {
  const g = new Graph();
  const x = g.input('x', 'float32', [BATCH, 1, SIZE, SIZE]);
  return toOnnxModel(g, { outputs: { logits: smallCnn(g, x, false) }, initializers: params });
}

describe('training a small CNN', () => {
  it('drives the toy rectangle-segmentation loss from about 0.8 to below 0.02 in 300 Adam steps', async () => {
    const { g } = trainingGraph();
    const { session, losses } = await train(300, initParams(g, 1));
    await session.release();
    expect(losses[0]).toBeGreaterThan(0.4);
    const last = losses.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(last).toBeLessThan(0.02);
  });

  it('resumes from a checkpoint to the same parameters and BatchNorm statistics as an uninterrupted run', async () => {
    const { g } = trainingGraph();
    const init = initParams(g, 3);
    const full = await train(12, new Map(init));
    const want = full.session.params();
    await full.session.release();

    const first = await train(5, new Map(init));
    const dir = mkdtempSync(join(tmpdir(), 'multirater-ck-'));
    dirs.push(dir);
    const p = first.session.params();
    writeCheckpoint(dir, inferenceModel(p), {
      params: p,
      optimizerState: first.session.optimizerState(),
      step: first.session.stepCount,
      optimizer: { name: 'adam', options: {} },
    });
    await first.session.release();

    const resumed = await train(12, new Map(init), { dir });
    const got = resumed.session.params();
    await resumed.session.release();
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    expect(got.has('bn1.running_mean')).toBe(true);
    for (const [k, v] of want) {
      const w = got.get(k) as Float32Array;
      let maxDiff = 0;
      for (let i = 0; i < v.length; i++) maxDiff = Math.max(maxDiff, Math.abs(v[i] - w[i]));
      expect(maxDiff, k).toBeLessThanOrEqual(1e-6);
    }
  });

  it('exports an inference .onnx that a fresh session runs to the graph forward output', async () => {
    const { g } = trainingGraph();
    const { session } = await train(20, initParams(g, 5));
    const params = session.params();
    await session.release();
    const batch = toyBatch(new Prng(99));

    const fg = new Graph();
    const x = fg.input('x', 'float32', [BATCH, 1, SIZE, SIZE]);
    const logits = smallCnn(fg, x, false);
    const feeds: Record<string, TensorData> = { x: batch.x };
    for (const [k, v] of params)
      feeds[k] = { dtype: 'float32', shape: (fg.params.get(k) as { value: Value }).value.staticShape, data: v };
    const fromGraph = await runGraph(fg, { logits }, feeds, { threads: 1 });

    const fresh = await Session.create(inferenceModel(params), { threads: 1 });
    expect(fresh.inputNames).toEqual(['x']);
    const exported = await fresh.run({ x: batch.x });
    await fresh.release();
    const a = fromGraph.logits.data as Float32Array;
    const b = exported.logits.data as Float32Array;
    expect(b.length).toBe(BATCH * 2 * SIZE * SIZE);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(a[i])));
  });

  it('exports with a symbolic batch axis, so one .onnx serves any batch size', async () => {
    const { g } = trainingGraph();
    const params = initParams(g, 8);
    const ig = new Graph();
    const logits = smallCnn(ig, ig.input('x', 'float32', ['N', 1, SIZE, SIZE]), false);
    expect(logits.shape).toEqual(['N', 2, SIZE, SIZE]);
    const session = await Session.create(toOnnxModel(ig, { outputs: { logits }, initializers: params }), {
      threads: 1,
    });
    const batch = toyBatch(new Prng(4)).x;
    const one: TensorData = {
      dtype: 'float32',
      shape: [1, 1, SIZE, SIZE],
      data: (batch.data as Float32Array).slice(0, SIZE * SIZE),
    };
    const all = await session.run({ x: batch });
    const single = await session.run({ x: one });
    await session.release();
    expect(all.logits.shape).toEqual([BATCH, 2, SIZE, SIZE]);
    expect(single.logits.shape).toEqual([1, 2, SIZE, SIZE]);
    const a = all.logits.data as Float32Array;
    const b = single.logits.data as Float32Array;
    for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(a[i])));
  });

  it('keeps frozen parameters and buffers fixed while the rest train', async () => {
    const { g, loss } = trainingGraph();
    const init = initParams(g, 2);
    const session = await TrainingSession.create(g, loss, {
      optimizer: adam(),
      params: new Map(init),
      threads: 1,
      frozen: ['conv1.weight', 'bn1.running_mean'],
    });
    const rng = new Prng(1);
    for (let i = 0; i < 3; i++) await session.step(toyBatch(rng), 1e-2);
    const p = session.params();
    await session.release();
    expect(p.get('conv1.weight')).toEqual(init.get('conv1.weight'));
    expect(p.get('bn1.running_mean')).toEqual(init.get('bn1.running_mean'));
    expect(p.get('conv2.weight')).not.toEqual(init.get('conv2.weight'));
    expect(p.get('bn1.running_var')).not.toEqual(init.get('bn1.running_var'));
  });
});
