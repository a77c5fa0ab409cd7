/** One-channel binary cross-entropy (HighRes3DNet's head) against fixtures/nn-wave2.json `loss_bce_logits` (PyTorch). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { grad } from '../nn/autodiff.ts';
import { Graph } from '../nn/graph.ts';
import { runGraph } from '../nn/run-graph.ts';
import { binaryCrossEntropy } from './losses.ts';

interface Tensor64 {
  shape: number[];
  data: number[];
}

describe('binaryCrossEntropy with one logit channel', () => {
  it('treats the channel as the foreground (label ≥ 1) and matches PyTorch’s BCEWithLogits value and gradient', async () => {
    const cases: {
      name: string;
      inputs: { logits: Tensor64 };
      constants: { target: Tensor64 };
      output: Tensor64;
      grads: { logits: Tensor64 };
    }[] = JSON.parse(readFileSync(fixturePath('nn-wave2.json'), 'utf8'));
    const c = cases.find((k) => k.name === 'loss_bce_logits');
    if (c === undefined) throw new Error('nn-wave2.json has no loss_bce_logits');
    const { logits } = c.inputs;
    const [n, , ...spatial] = c.constants.target.shape;
    const g = new Graph();
    const z = g.input('logits', 'float32', logits.shape);
    const t = g.input('target', 'uint8', [n, ...spatial]);
    const loss = binaryCrossEntropy(z, t);
    const [dz] = grad(loss, [z]);
    const res = await runGraph(
      g,
      { loss, dz },
      {
        logits: { dtype: 'float32', shape: logits.shape, data: Float32Array.from(logits.data) },
        target: { dtype: 'uint8', shape: [n, ...spatial], data: Uint8Array.from(c.constants.target.data) },
      },
      { threads: 1 },
    );
    expect((res.loss.data as Float32Array)[0]).toBeCloseTo(c.output.data[0], 5);
    const got = res.dz.data as Float32Array;
    c.grads.logits.data.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });
});
