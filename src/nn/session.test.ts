/** The runtime wrapper: compile once per shape signature, clear errors, pre-allocated outputs; checkpoint errors. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from './autodiff.ts';
import { readCheckpoint } from './checkpoint.ts';
import * as F from './functional.ts';
import { Graph } from './graph.ts';
import { toOnnxModel } from './onnx.ts';
import { runGraph } from './run-graph.ts';
import { Session, SessionCache, shapeSignature } from './session.ts';
import { float32 } from './tensor.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function doubler(n: number): Uint8Array {
  const g = new Graph();
  const x = g.input('x', 'float32', [n]);
  return toOnnxModel(g, { outputs: { y: F.mul(x, g.scalar(2)) } });
}

describe('Session and SessionCache', () => {
  it('compiles once per input-shape signature', async () => {
    const cache = new SessionCache({ threads: 1 });
    let builds = 0;
    const get = (n: number) => {
      const feeds = { x: float32(new Float32Array(n), [n]) };
      return cache.get(shapeSignature(feeds), () => {
        builds++;
        return doubler(n);
      });
    };
    const a = await get(3);
    expect(await get(3)).toBe(a);
    expect(await get(4)).not.toBe(a);
    expect(builds).toBe(2);
    expect(cache.size).toBe(2);
    const out = await a.run({ x: float32([1, 2, 3], [3]) });
    expect([...(out.y.data as Float32Array)]).toEqual([2, 4, 6]);
    await cache.release();
  });

  it('writes into pre-allocated output tensors', async () => {
    const s = await Session.create(doubler(2), { threads: 1 });
    const target = new Float32Array(2);
    await s.run({ x: float32([5, 6], [2]) }, { y: float32(target, [2]) });
    expect([...target]).toEqual([10, 12]);
    await s.release();
  });

  it('names a missing feed', async () => {
    const s = await Session.create(doubler(2), { threads: 1 });
    await expect(s.run({})).rejects.toThrow("model input 'x' was not fed");
    await s.release();
  });

  it('rejects bytes that are not a model', async () => {
    await expect(Session.create(Uint8Array.of(1, 2, 3), { threads: 1 })).rejects.toThrow(
      /ONNX Runtime rejected the model/,
    );
  });
});

describe('checkpoints', () => {
  it('reports a missing checkpoint file by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-ck-'));
    dirs.push(dir);
    expect(() => readCheckpoint(dir)).toThrow(`${join(dir, 'model.onnx')}: checkpoint file not found`);
  });
});

describe('Dropout', () => {
  it('scales kept values by 1/(1−p), zeroes the rest, and routes the gradient through the same mask', async () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [1000]);
    const y = F.dropout(x, 0.25, 7);
    const [dx] = grad(F.reduceSum(y, [0], false), [x]);
    const ones = float32(new Float32Array(1000).fill(1), [1000]);
    const r = await runGraph(g, { y: F.identity(y), dx }, { x: ones }, { threads: 1 });
    const yv = r.y.data as Float32Array;
    const dv = r.dx.data as Float32Array;
    let kept = 0;
    for (let i = 0; i < 1000; i++) {
      expect([0, 1 / 0.75]).toContainEqual(expect.closeTo(yv[i], 6));
      expect(dv[i]).toBeCloseTo(yv[i], 6);
      if (yv[i] > 0) kept++;
    }
    expect(kept).toBeGreaterThan(650);
    expect(kept).toBeLessThan(850);
  });
});
