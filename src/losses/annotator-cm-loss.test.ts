/**
 * The annotator CM loss against `fixtures/nn-wave2.json` (PyTorch float64; cases `cm_loss_pixelwise` and
 * `cm_loss_global`): value and the gradients of the segmentation and CM logits, to 1e-4 relative in float32; and the
 * mean-label soft-target cross-entropy on a case derived by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  expectValueAndGradients,
  float32Tensor as f32,
  referenceCase,
  type Tensor64,
} from '../../test/reference-cases.ts';
import { annotatorCmLoss, meanLabelCrossEntropy } from './annotator-cm-loss.ts';
import * as F from '../nn/functional.ts';
import { Graph, type Value } from '../nn/graph.ts';
import { runGraph } from '../nn/run-graph.ts';
import type { TensorData } from '../nn/tensor.ts';

describe('annotator CM loss (nn-wave2.json)', () => {
  for (const name of ['cm_loss_pixelwise', 'cm_loss_global']) {
    it(`${name}: value and gradients match PyTorch`, async () => {
      const c = referenceCase('nn-wave2.json', name);
      const { noisy, mask: maskData } = c.constants as Record<'noisy' | 'mask', Tensor64>;
      const g = new Graph();
      const v: Record<string, Value> = {};
      const feeds: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(c.inputs)) {
        v[k] = g.input(k, 'float32', t.shape);
        feeds[k] = f32(t);
      }
      const labels = g.input('labels', 'uint8', noisy.shape);
      feeds.labels = { dtype: 'uint8', shape: noisy.shape, data: Uint8Array.from(noisy.data) };
      const mask = g.input('mask', 'float32', maskData.shape);
      feeds.mask = f32(maskData);
      // Pixel-wise logits [N, R, L(i), L(j), H, W] and global weights [R, L(i), L(j)]: the softmax runs over i.
      const cmLogits = v.cm_logits ?? v.cm_weights;
      const cm = F.softmax(cmLogits, cmLogits.rank === 3 ? 1 : 2);
      const loss = annotatorCmLoss(v.seg_logits, cm, labels, mask, { traceWeight: c.attrs.lam as number });
      await expectValueAndGradients({ graph: g, feeds, inputs: v, output: loss, objective: loss }, c);
    });
  }
});

describe('mean-label cross-entropy', () => {
  it('is the cross-entropy against the fraction of present annotators per class', async () => {
    // One image, 2 pixels, 3 annotators of which the second is missing; logits 0 → p = (½, ½) everywhere.
    // Pixel 0: labels 1, –, 1 → target (0, 1); pixel 1: labels 0, –, 1 → (½, ½). Either way −Σ t log ½ = ln 2.
    // A second image with no annotator adds 0, and the mean runs over both images' pixels: ln 2 / 2.
    const g = new Graph();
    const logits = g.input('logits', 'float32', [2, 2, 1, 2]);
    const labels = g.input('labels', 'uint8', [2, 3, 1, 2]);
    const mask = g.input('mask', 'float32', [2, 3]);
    const res = await runGraph(
      g,
      { loss: meanLabelCrossEntropy(logits, labels, mask) },
      {
        logits: { dtype: 'float32', shape: [2, 2, 1, 2], data: new Float32Array(8) },
        labels: { dtype: 'uint8', shape: [2, 3, 1, 2], data: Uint8Array.from([1, 0, 7, 7, 1, 1, 0, 0, 0, 0, 0, 0]) },
        mask: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 0, 1, 0, 0, 0]) },
      },
      { threads: 1 },
    );
    expect((res.loss.data as Float32Array)[0]).toBeCloseTo(Math.LN2 / 2, 6);
  });
});
