/**
 * Optimiser updates against PyTorch 1.13's published update rules, re-derived here in float64 on a quadratic
 * loss L(p) = Σ c·p + ½Σp² (gradient c + p), five steps; plus clipping, freezing and the schedules.
 */
import { describe, expect, it } from 'vitest';
import * as F from './functional.ts';
import { Graph } from './graph.ts';
import { adam, adamW, radam, sgd, type Optimizer } from './optimizers.ts';
import { constantLr, cosineLr, plateauLr, polynomialLr, stepLr } from './schedules.ts';
import { TrainingSession } from './training-session.ts';

const C = [0.5, -1.5, 2];
const P0 = [1, -2, 0.25];

type Rule = (p: number[], g: number[], s: number[][], t: number, lr: number) => void;

const refSgd =
  (mu: number, nesterov: boolean, wd: number): Rule =>
  (p, g, s, _t, lr) => {
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + wd * p[i];
      if (mu > 0) {
        s[0][i] = mu * s[0][i] + d;
        d = nesterov ? d + mu * s[0][i] : s[0][i];
      }
      p[i] -= lr * d;
    }
  };

const refAdam =
  (decoupled: boolean, wd: number, rectified: boolean): Rule =>
  (p, g, s, t, lr) => {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const rhoInf = 2 / (1 - b2) - 1;
    for (let i = 0; i < p.length; i++) {
      if (decoupled) p[i] *= 1 - lr * wd;
      const d = decoupled ? g[i] : g[i] + wd * p[i];
      s[0][i] = b1 * s[0][i] + (1 - b1) * d;
      s[1][i] = b2 * s[1][i] + (1 - b2) * d * d;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      if (!rectified) {
        p[i] -= (lr / bc1) * (s[0][i] / (Math.sqrt(s[1][i]) / Math.sqrt(bc2) + eps));
        continue;
      }
      const rho = rhoInf - (2 * t * b2 ** t) / bc2;
      const mHat = s[0][i] / bc1;
      if (rho > 5) {
        const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
        p[i] -= lr * mHat * r * (Math.sqrt(bc2) / (Math.sqrt(s[1][i]) + eps));
      } else p[i] -= lr * mHat;
    }
  };

async function runEngine(
  opt: Optimizer,
  steps: number,
  lr: number,
  extra: { clip?: number; frozen?: boolean } = {},
): Promise<{ p: Float32Array; q: Float32Array }> {
  const g = new Graph();
  const p = g.param('p', [3], { kind: 'constant', value: 0 });
  const q = g.param('q', [3], { kind: 'constant', value: 0 });
  const c = g.constant({ dtype: 'float32', shape: [3], data: Float32Array.from(C) });
  const quad = (v: typeof p) =>
    F.add(F.reduceSum(F.mul(v, c), [0], false), F.mul(F.reduceSum(F.mul(v, v), [0], false), g.scalar(0.5)));
  const loss = F.add(quad(p), quad(q));
  const params = new Map([
    ['p', Float32Array.from(P0)],
    ['q', Float32Array.from(P0)],
  ]);
  const s = await TrainingSession.create(g, loss, {
    optimizer: opt,
    params,
    threads: 1,
    clipGradNorm: extra.clip,
    frozen: extra.frozen ? ['q'] : [],
  });
  for (let i = 0; i < steps; i++) await s.step({}, lr);
  const out = s.params();
  await s.release();
  return { p: out.get('p') as Float32Array, q: out.get('q') as Float32Array };
}

function runReference(rule: Rule, slots: number, steps: number, lr: number): number[] {
  const p = [...P0];
  const s = Array.from({ length: slots }, () => [0, 0, 0]);
  for (let t = 1; t <= steps; t++)
    rule(
      p,
      p.map((v, i) => C[i] + v),
      s,
      t,
      lr,
    );
  return p;
}

describe('optimisers follow PyTorch update rules', () => {
  const cases: [string, Optimizer, Rule, number][] = [
    ['plain SGD', sgd(), refSgd(0, false, 0), 0],
    ['SGD with momentum and weight decay', sgd({ momentum: 0.9, weightDecay: 0.1 }), refSgd(0.9, false, 0.1), 1],
    ['SGD with Nesterov momentum', sgd({ momentum: 0.8, nesterov: true }), refSgd(0.8, true, 0), 1],
    ['Adam with L2 decay', adam({ weightDecay: 0.05 }), refAdam(false, 0.05, false), 2],
    ['AdamW', adamW({ weightDecay: 0.1 }), refAdam(true, 0.1, false), 2],
    ['RAdam (unrectified early, rectified from step 6)', radam(), refAdam(false, 0, true), 2],
  ];
  for (const [name, opt, rule, slots] of cases) {
    it(`${name}: 8 steps match the reference`, async () => {
      const { p } = await runEngine(opt, 8, 0.05);
      const want = runReference(rule, slots, 8, 0.05);
      for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(want[i], 5);
    });
  }

  it('clips the global gradient norm before the update', async () => {
    // Step 1 gradient of p and q is c + P0 = [1.5, -3.5, 2.25] each; global norm = √2·‖·‖; SGD lr 1 moves by the clipped gradient.
    const gvec = C.map((c, i) => c + P0[i]);
    const norm = Math.sqrt(2 * gvec.reduce((a, b) => a + b * b, 0));
    const { p } = await runEngine(sgd(), 1, 1, { clip: 1 });
    for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(P0[i] - gvec[i] / (norm + 1e-6), 5);
  });

  it('leaves frozen parameters unchanged', async () => {
    const { p, q } = await runEngine(adam(), 3, 0.1, { frozen: true });
    expect([...q]).toEqual(P0);
    expect(p[0]).not.toBe(P0[0]);
  });
});

describe('learning-rate schedules', () => {
  it('constant, polynomial (power 0.9), cosine and step decay give their textbook values', () => {
    expect(constantLr(0.1)(500)).toBe(0.1);
    expect(polynomialLr(0.01, 100)(50)).toBeCloseTo(0.01 * 0.5 ** 0.9, 12);
    expect(polynomialLr(0.01, 100)(100)).toBe(0);
    expect(cosineLr(1, 10)(5)).toBeCloseTo(0.5, 12);
    expect(cosineLr(1, 10, 0.1)(10)).toBeCloseTo(0.1, 12);
    expect(stepLr(1, 30, 0.5)(61)).toBe(0.25);
  });

  it('reduce-on-plateau cuts the rate after patience+1 evaluations without improvement', () => {
    expect(plateauLr(1, [5, 4, 4, 4], { patience: 2, factor: 0.5 })).toBe(1);
    expect(plateauLr(1, [5, 4, 4, 4, 4], { patience: 2, factor: 0.5 })).toBe(0.5);
    expect(plateauLr(1, [5, 4, 4, 4, 4, 3, 3, 3, 3], { patience: 2, factor: 0.5 })).toBe(0.25);
  });
});
