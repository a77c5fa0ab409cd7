/**
 * The pixel oracle's matrices (annotator-graphs.ts `pixelOracleMatrices`) on hand-built labels, and the loss they
 * give: with two classes, the cross-entropy of p_θ on the pixels where the annotator agrees with the truth, and 0
 * where it does not (the true matrix says the annotator answers the same whatever p_θ is there).
 */
import { describe, expect, it } from 'vitest';
import { annotatorCmLoss } from '../losses/annotator-cm-loss.ts';
import * as F from '../nn/functional.ts';
import { Graph } from '../nn/graph.ts';
import { runGraph } from '../nn/run-graph.ts';
import { pixelOracleMatrices } from './annotator-graphs.ts';

/** Entry CM[i][j] at pixel v of (sample b, annotator r) in the [B, R, L, L, P] layout. */
const at = (m: Float32Array, R: number, L: number, P: number, b: number, r: number, i: number, j: number, v: number) =>
  m[(((b * R + r) * L + i) * L + j) * P + v];

describe('pixelOracleMatrices', () => {
  it('is the identity with the truth’s column replaced by the one-hot of the annotator’s label, pixel by pixel', () => {
    // One sample, two annotators, three classes, four pixels; annotator 1 is masked out.
    const truth = Uint8Array.from([0, 1, 2, 2]);
    const labels = Uint8Array.from([0, 2, 1, 2, /* annotator 1 */ 1, 1, 1, 1]);
    const m = pixelOracleMatrices(labels, truth, Float32Array.from([1, 0]), 1, 2, 3);
    expect(m).toHaveLength(2 * 9 * 4);
    const matrix = (r: number, v: number) => [0, 1, 2].map((i) => [0, 1, 2].map((j) => at(m, 2, 3, 4, 0, r, i, j, v)));
    const I = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(matrix(0, 0)).toEqual(I); // agrees
    expect(matrix(0, 1)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 1],
    ]); // truth 1, says 2: column 1 → e2
    expect(matrix(0, 2)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]); // truth 2, says 1: column 2 → e1
    expect(matrix(0, 3)).toEqual(I);
    for (let v = 0; v < 4; v++) expect(matrix(1, v)).toEqual(I); // masked out
  });

  it('gives the cross-entropy of p_θ on the agreeing pixels only (two classes)', async () => {
    // p_θ(foreground) per pixel; truth and one annotator who is wrong on pixels 1 and 3.
    const pFg = [0.9, 0.3, 0.2, 0.6];
    const truth = Uint8Array.from([1, 1, 0, 0]);
    const label = Uint8Array.from([1, 0, 0, 1]);
    const cm = pixelOracleMatrices(label, truth, Float32Array.from([1]), 1, 1, 2);
    const g = new Graph();
    // Logits [1, 2, 1, 4] whose softmax is p: (0, logit(p)).
    const logits = g.input('logits', 'float32', [1, 2, 1, 4]);
    const cmIn = g.input('cm', 'float32', [1, 1, 2, 2, 1, 4]);
    const labels = g.input('labels', 'uint8', [1, 1, 1, 4]);
    const mask = g.input('mask', 'float32', [1, 1]);
    const loss = annotatorCmLoss(logits, cmIn, labels, mask, { traceWeight: 0 });
    const logitData = Float32Array.from([...pFg.map(() => 0), ...pFg.map((p) => Math.log(p / (1 - p)))]);
    const res = await runGraph(
      g,
      { loss: F.identity(loss) },
      {
        logits: { dtype: 'float32', shape: [1, 2, 1, 4], data: logitData },
        cm: { dtype: 'float32', shape: [1, 1, 2, 2, 1, 4], data: cm },
        labels: { dtype: 'uint8', shape: [1, 1, 1, 4], data: label },
        mask: { dtype: 'float32', shape: [1, 1], data: Float32Array.from([1]) },
      },
      { threads: 1 },
    );
    // Pixels 0 (fg, p 0.9) and 2 (bg, p_bg 0.8) agree; pixels 1 and 3 add −log(1) = 0; the mean is over 4 pixels.
    expect((res.loss.data as Float32Array)[0]).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 4, 6);
  });
});
