import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import * as F from '../nn/functional.ts';
import { Graph } from '../nn/graph.ts';
import { runGraph } from '../nn/run-graph.ts';
import { buildLoss, LOSS_NAMES, parseLossName, type LossName, type LossOptions } from './losses.ts';

interface Tensor64 {
  shape: number[];
  data: number[];
}
interface LossCase {
  name: string;
  inputs: { logits: Tensor64 };
  target: Tensor64;
  output: Tensor64;
}

/** Evaluates loss `name` on float logits and uint8 targets (the training pipeline's label type). */
async function lossValue(
  name: LossName,
  logits: Tensor64,
  target: Tensor64,
  options: LossOptions = {},
): Promise<number> {
  const g = new Graph();
  const x = g.input('logits', 'float32', logits.shape);
  const t = g.input('target', 'uint8', target.shape);
  const res = await runGraph(
    g,
    { loss: F.identity(buildLoss(name, x, t, options)) },
    {
      logits: { dtype: 'float32', shape: logits.shape, data: Float32Array.from(logits.data) },
      target: { dtype: 'uint8', shape: target.shape, data: Uint8Array.from(target.data) },
    },
    { threads: 1 },
  );
  return (res.loss.data as Float32Array)[0];
}

const fixtureCases: LossCase[] = (
  JSON.parse(readFileSync(fixturePath('nn-reference.json'), 'utf8')) as LossCase[]
).filter((c) => c.name.startsWith('loss_'));
const fixtureLoss: Record<string, LossName> = {
  loss_ce: 'ce',
  loss_soft_dice: 'dice',
  loss_mae: 'mae',
  loss_ce_plus_dice: 'ce+dice',
};

// Hand-derived case: N = 1, C = 2, two pixels. Pixel a has logits [0, ln 3] → p = [1/4, 3/4], target 1;
// pixel b has logits [0, 0] → p = [1/2, 1/2], target 0. Layout [c0a, c0b, c1a, c1b].
const LOGITS: Tensor64 = { shape: [1, 2, 1, 2], data: [0, 0, Math.log(3), 0] };
const TARGET: Tensor64 = { shape: [1, 1, 2], data: [1, 0] };

describe('training losses', () => {
  for (const c of fixtureCases) {
    it(`${c.name} by name "${fixtureLoss[c.name]}" matches the PyTorch fixture`, async () => {
      const v = await lossValue(fixtureLoss[c.name], c.inputs.logits, c.target);
      expect(Math.abs(v - c.output.data[0]) / Math.abs(c.output.data[0])).toBeLessThan(1e-4);
    });
  }

  it('cross-entropy is the mean of −log p_t (by hand: (−ln 3/4 − ln 1/2)/2)', async () => {
    expect(await lossValue('ce', LOGITS, TARGET)).toBeCloseTo((-Math.log(0.75) - Math.log(0.5)) / 2, 5);
  });

  it('class weights divide by the summed target weights (PyTorch weighted mean)', async () => {
    // w = [1, 3]: pixel a (target 1) weighs 3, pixel b (target 0) weighs 1.
    const expected = (3 * -Math.log(0.75) + 1 * -Math.log(0.5)) / 4;
    expect(await lossValue('ce', LOGITS, TARGET, { classWeights: [1, 3] })).toBeCloseTo(expected, 5);
  });

  it('binary cross-entropy averages softplus(z) − z·t over classes and pixels', async () => {
    // Three entries have z = 0 (ln 2 each); z = ln 3 with t = 1 gives ln 4 − ln 3.
    expect(await lossValue('bce', LOGITS, TARGET)).toBeCloseTo((3 * Math.LN2 + Math.log(4 / 3)) / 4, 5);
  });

  it('generalised cross-entropy with q = 0.7 is the mean of (1 − p_t^q)/q', async () => {
    const expected = ((1 - 0.75 ** 0.7) / 0.7 + (1 - 0.5 ** 0.7) / 0.7) / 2;
    expect(await lossValue('gce', LOGITS, TARGET)).toBeCloseTo(expected, 5);
  });

  it('MAE + Dice adds the mean L1 distance and 1 − mean soft Dice', async () => {
    // MAE: pixel a |1/4| + |3/4 − 1| = 1/2, pixel b 1/2 + 1/2 = 1 → 3/4.
    // Dice class 0: 2·(1/2)/(3/4 + 1); class 1: 2·(3/4)/(5/4 + 1) → loss 1 − mean.
    const dice = 1 - (1 / 1.75 + 1.5 / 2.25) / 2;
    expect(await lossValue('mae+dice', LOGITS, TARGET)).toBeCloseTo(0.75 + dice, 5);
  });

  it('sample-dice sums 1 − foreground soft Dice over the samples of the batch', async () => {
    // Sample 1 is LOGITS/TARGET: foreground p = [3/4, 1/2], t = [1, 0] → Dice 2·(3/4)/(5/4 + 1) = 2/3.
    // Sample 2 has logits 0 (p = 1/2) and no foreground: Dice ε/(1 + ε) ≈ 0. Loss (1 − 2/3) + (1 − 0).
    const logits: Tensor64 = { shape: [2, 2, 1, 2], data: [...LOGITS.data, 0, 0, 0, 0] };
    const target: Tensor64 = { shape: [2, 1, 2], data: [1, 0, 0, 0] };
    expect(await lossValue('sample-dice', logits, target)).toBeCloseTo(1 / 3 + 1, 4);
  });

  it('rejects unknown names and bad class weights with one-line errors', () => {
    expect(() => parseLossName('focal')).toThrow(/unknown loss "focal"/);
    expect(LOSS_NAMES).toContain('gce');
    const g = new Graph();
    const x = g.input('logits', 'float32', [1, 2, 1, 2]);
    const t = g.input('target', 'uint8', [1, 1, 2]);
    expect(() => buildLoss('ce', x, t, { classWeights: [1] })).toThrow(/class weights must be 2/);
  });
});
