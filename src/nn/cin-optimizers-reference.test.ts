/**
 * The nn-wave2 cases (fixtures/nn-wave2.json, PyTorch float64) of the engine: conditional instance normalisation
 * (`cin_2d`, values and gradients, 1e-3 through normalisation) and the 8-step parameter trajectories of Adam,
 * RAdam and AdamW with PyTorch's defaults.
 */
import { describe, expect, it } from 'vitest';
import { expectMatchesReference, referenceCase, relErr } from '../../test/reference-cases.ts';
import * as F from './functional.ts';
import { Graph } from './graph.ts';
import { conditionalInstanceNorm } from './normalization.ts';
import { adam, adamW, radam, type Optimizer } from './optimizers.ts';
import { TrainingSession } from './training-session.ts';

describe('nn-wave2.json (PyTorch float64)', () => {
  it('cin_2d: conditional instance norm values and gradients (x, γ, β) match PyTorch, experts mixed in one batch', async () => {
    await expectMatchesReference(
      referenceCase('nn-wave2.json', 'cin_2d'),
      (v) => conditionalInstanceNorm(v.x, v.gamma, v.beta, v.expert),
      1e-3,
    );
  });

  const trajectories: [string, Optimizer][] = [
    ['optimizer_adam_8_steps', adam()],
    ['optimizer_radam_8_steps', radam()],
    ['optimizer_adamw_8_steps', adamW()],
  ];
  for (const [name, optimizer] of trajectories) {
    it(`${name}: the parameters after each of 8 steps match PyTorch`, async () => {
      const c = referenceCase('nn-wave2.json', name);
      const n = c.inputs.initial.shape[0];
      // Loss Σ p·g with g fed per step: its gradient is exactly the fixture's gradient row.
      const g = new Graph();
      const p = g.param('p', [n], { kind: 'constant', value: 0 });
      const gradient = g.input('gradient', 'float32', [n]);
      const loss = F.reduceSum(F.mul(p, gradient), [0], false);
      const session = await TrainingSession.create(g, loss, {
        optimizer,
        params: new Map([['p', Float32Array.from(c.inputs.initial.data)]]),
        threads: 1,
      });
      const rows: number[] = [];
      for (let k = 0; k < 8; k++) {
        const row = c.inputs.gradients.data.slice(k * n, (k + 1) * n);
        await session.step({ gradient: { dtype: 'float32', shape: [n], data: Float32Array.from(row) } }, 1e-2);
        rows.push(...(session.params().get('p') as Float32Array));
      }
      await session.release();
      expect(relErr(rows, c.output.data)).toBeLessThanOrEqual(1e-5);
    });
  }
});
