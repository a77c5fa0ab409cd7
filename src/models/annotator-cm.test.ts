import { describe, expect, it } from 'vitest';
import { Graph } from '../nn/graph.ts';
import { initParams } from '../nn/init.ts';
import { runGraph } from '../nn/run-graph.ts';
import { annotatorHeads, IDENTITY_PROBABILITY } from './annotator-cm.ts';
import { getModel } from './builtins.ts';

async function initialMatrices(
  cm: 'pixel' | 'global',
  dims: 2 | 3,
): Promise<{ shape: number[]; data: Float32Array; params: string[] }> {
  const g = new Graph();
  const spatial = Array(dims).fill(4);
  const x = g.input('image', 'float32', [2, 1, ...spatial]);
  const spec = getModel(dims === 2 ? 'annotator-cm' : 'annotator-cm3d');
  const logits = spec.build(x, 3, false, { ...spec.defaults, features: [2, 4] });
  const out = annotatorHeads(logits, 3, { annotators: 5, cm }, { training: false });
  const res = await runGraph(
    g,
    { cm: out },
    {
      image: {
        dtype: 'float32',
        shape: x.staticShape,
        data: Float32Array.from({ length: 2 * 4 ** dims }, (_, i) => Math.sin(i)),
      },
    },
    { params: initParams(g, 3), threads: 1 },
  );
  return { shape: [...res.cm.shape], data: res.cm.data as Float32Array, params: [...g.params.keys()] };
}

describe('annotator-cm', () => {
  for (const [cm, dims] of [
    ['pixel', 2],
    ['pixel', 3],
    ['global', 2],
  ] as const) {
    it(`${cm} ${dims}D: column-stochastic matrices of R·L·L entries that start close to the identity`, async () => {
      const { shape, data, params } = await initialMatrices(cm, dims);
      const spatial = cm === 'pixel' ? Array(dims).fill(4) : [];
      expect(shape).toEqual(cm === 'pixel' ? [2, 5, 3, 3, ...spatial] : [5, 3, 3]);
      const pixels = spatial.reduce((a, b) => a * b, 1);
      const matrices = data.length / (9 * pixels);
      for (let m = 0; m < matrices; m++) {
        for (let p = 0; p < pixels; p++) {
          const at = (i: number, j: number) => data[(m * 9 + i * 3 + j) * pixels + p];
          for (let j = 0; j < 3; j++) {
            expect(at(0, j) + at(1, j) + at(2, j)).toBeCloseTo(1, 5);
            // Diagonal IDENTITY_PROBABILITY (0.9) up to the last layer’s small random weights.
            expect(Math.abs(at(j, j) - IDENTITY_PROBABILITY)).toBeLessThan(0.01);
          }
        }
      }
      // The segmentation network's parameters keep their own names; the heads live under "annotators".
      expect(params.filter((p) => !p.startsWith('annotators.')).every((p) => /^(enc|dec|up|head)/.test(p))).toBe(true);
    });
  }
});
