/** warp2d: known displacements, and gradients for image and field against finite differences. */
import { describe, expect, it } from 'vitest';
import * as F from './functional.ts';
import { checkGradients } from './gradcheck.ts';
import { Graph } from './graph.ts';
import { runGraph } from './run-graph.ts';
import { float32 } from './tensor.ts';
import { warp2d } from './warp.ts';

const H = 3;
const W = 4;
const image = Float32Array.from({ length: H * W }, (_, k) => k * k);

async function warpWith(flow: (i: number, j: number) => [number, number]): Promise<Float32Array> {
  const g = new Graph();
  const img = g.input('img', 'float32', [1, 1, H, W]);
  const fl = g.input('flow', 'float32', [1, 2, H, W]);
  const data = new Float32Array(2 * H * W);
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) [data[i * W + j], data[H * W + i * W + j]] = flow(i, j);
  const r = await runGraph(
    g,
    { out: warp2d(img, fl) },
    { img: float32(image, [1, 1, H, W]), flow: float32(data, [1, 2, H, W]) },
    { threads: 1 },
  );
  return r.out.data as Float32Array;
}

describe('warp2d', () => {
  it('returns the image for a zero field', async () => {
    expect([...(await warpWith(() => [0, 0]))]).toEqual([...image]);
  });

  it('reads one row down for a displacement of +1 row, clamping at the border', async () => {
    const out = await warpWith(() => [1, 0]);
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) expect(out[i * W + j]).toBe(image[Math.min(i + 1, H - 1) * W + j]);
  });

  it('interpolates bilinearly between the four neighbours', async () => {
    // Sample at (0.25, 1.5): rows 0/1 weighted 0.75/0.25, columns 1/2 weighted 0.5/0.5.
    const out = await warpWith((i, j) => (i === 0 && j === 1 ? [0.25, 0.5] : [0, 0]));
    const v = (i: number, j: number) => image[i * W + j];
    expect(out[1]).toBeCloseTo(0.75 * (0.5 * v(0, 1) + 0.5 * v(0, 2)) + 0.25 * (0.5 * v(1, 1) + 0.5 * v(1, 2)), 4);
  });

  it('has image and field gradients that agree with finite differences', async () => {
    // Field = 0.5 + 0.1·z keeps every sample position clear of integer coordinates, where bilinear kinks.
    const r = await checkGradients([{ shape: [2, 2, 4, 5] }, { shape: [2, 2, 4, 5] }], (img, flow) =>
      warp2d(img, F.add(F.mul(flow, flow.graph.scalar(0.1)), flow.graph.scalar(0.5))),
    );
    expect(r.maxRelError).toBeLessThan(2e-2);
  });
});
