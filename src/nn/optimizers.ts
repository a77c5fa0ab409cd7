/**
 * Optimisers as graph updates, following PyTorch 1.13's update rules exactly: SGD with momentum, Nesterov and L2
 * weight decay; Adam (Kingma & Ba 2015) with L2 decay; AdamW (Loshchilov & Hutter 2019) with decoupled decay;
 * RAdam (Liu et al. 2020). Each appends, for one parameter, the new parameter and new state slots to the graph;
 * the learning rate, the 1-based step count and the optimiser's step scalars (bias corrections, RAdam's
 * rectification) are scalar feeds, so schedules need no recompilation. Step scalars are computed on the host in
 * float64, as PyTorch does: in float32, 1 − β2^t and RAdam's ρ_t lose about 4 digits to cancellation.
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

/** Scalars shared by every parameter's update in one step, all fed. */
export interface StepScalars {
  /** Learning rate. */
  readonly lr: Value;
  /** 1-based step count as float32. */
  readonly step: Value;
  /** The optimiser's own step scalars, by the names in `Optimizer.scalarNames`. */
  readonly scalars: Readonly<Record<string, Value>>;
}

/** An optimiser as a graph-update rule (see the file comment); made by `sgd`, `adam`, `adamW` or `radam`. */
export interface Optimizer {
  /** 'sgd', 'adam', 'adamw' or 'radam'; recorded in checkpoints. */
  readonly name: string;
  /** Names of the per-parameter state tensors (each shaped like the parameter, zero at step 0). */
  readonly slots: readonly string[];
  /** Hyper-parameters, recorded in checkpoints. */
  readonly options: Readonly<Record<string, number | boolean>>;
  /** Names of the host-computed scalars each step feeds. */
  readonly scalarNames: readonly string[];
  /** Their values for 1-based step `t`, in float64. */
  stepScalars(t: number): Record<string, number>;
  /** Appends one parameter's update; returns the new parameter and new state slots in `slots` order. */
  update(
    param: Value,
    grad: Value,
    state: readonly Value[],
    s: StepScalars,
  ): {
    /** The parameter after this step. */
    param: Value;
    /** The state slots after this step, in `slots` order. */
    state: Value[];
  };
}

const c = (like: Value, v: number): Value => F.scalarLike(like, v);

function withL2(param: Value, grad: Value, weightDecay: number): Value {
  return weightDecay === 0 ? grad : F.add(grad, F.mul(param, c(param, weightDecay)));
}

/** Options of `sgd`. */
export interface SgdOptions {
  /** Momentum factor μ; default 0. */
  readonly momentum?: number;
  /** Nesterov momentum (needs μ > 0); default false. */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient; default 0. */
  readonly weightDecay?: number;
}

/** PyTorch's SGD: buf = μ·buf + g (no dampening), step g + μ·buf with Nesterov, else buf; p −= lr·step. */
export function sgd(options: SgdOptions = {}): Optimizer {
  const momentum = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  const weightDecay = options.weightDecay ?? 0;
  return {
    name: 'sgd',
    slots: momentum > 0 ? ['momentum'] : [],
    options: { momentum, nesterov, weightDecay },
    scalarNames: [],
    stepScalars: () => ({}),
    update(param, grad, state, s) {
      let g = withL2(param, grad, weightDecay);
      const next: Value[] = [];
      if (momentum > 0) {
        const buf = F.add(F.mul(state[0], c(param, momentum)), g);
        next.push(buf);
        g = nesterov ? F.add(g, F.mul(buf, c(param, momentum))) : buf;
      }
      return { param: F.sub(param, F.mul(g, s.lr)), state: next };
    },
  };
}

/** Options of `adam`, `adamW` and `radam`. */
export interface AdamOptions {
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** L2 penalty (Adam, RAdam) or decoupled decay (AdamW); defaults 0 and 0.01. */
  readonly weightDecay?: number;
}

function moments(grad: Value, state: readonly Value[], beta1: number, beta2: number): [Value, Value] {
  const m = F.add(F.mul(state[0], c(grad, beta1)), F.mul(grad, c(grad, 1 - beta1)));
  const v = F.add(F.mul(state[1], c(grad, beta2)), F.mul(F.mul(grad, grad), c(grad, 1 - beta2)));
  return [m, v];
}

/** Adam's bias corrections for step t: 1 − β1^t and √(1 − β2^t). */
function adamScalars(beta1: number, beta2: number) {
  return (t: number): Record<string, number> => ({ bc1: 1 - beta1 ** t, sqrtBc2: Math.sqrt(1 - beta2 ** t) });
}

function adamStep(param: Value, m: Value, v: Value, s: StepScalars, eps: number): Value {
  // PyTorch: denom = √v/√bc2 + eps; p −= (lr/bc1)·m/denom.
  const denom = F.add(F.div(F.sqrt(v), s.scalars.sqrtBc2), c(param, eps));
  return F.sub(param, F.mul(F.div(m, denom), F.div(s.lr, s.scalars.bc1)));
}

/** PyTorch's Adam: weight decay as L2 (added to the gradient). */
export function adam(options: AdamOptions = {}): Optimizer {
  return adamFamily('adam', false, options, 0);
}

/** PyTorch's AdamW: weight decay decoupled (the parameter shrinks by lr · decay before the Adam step). */
export function adamW(options: AdamOptions = {}): Optimizer {
  return adamFamily('adamw', true, options, 0.01);
}

function adamFamily(name: 'adam' | 'adamw', decoupled: boolean, options: AdamOptions, decay: number): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = decay } = options;
  return {
    name,
    slots: ['m', 'v'],
    options: { beta1, beta2, eps, weightDecay },
    scalarNames: ['bc1', 'sqrtBc2'],
    stepScalars: adamScalars(beta1, beta2),
    update(param, grad, state, s) {
      if (!decoupled) {
        const [m, v] = moments(withL2(param, grad, weightDecay), state, beta1, beta2);
        return { param: adamStep(param, m, v, s, eps), state: [m, v] };
      }
      const decayed = F.mul(param, F.sub(c(param, 1), F.mul(s.lr, c(param, weightDecay))));
      const [m, v] = moments(grad, state, beta1, beta2);
      return { param: adamStep(decayed, m, v, s, eps), state: [m, v] };
    },
  };
}

/** PyTorch's RAdam (Liu et al. 2020): Adam with the variance rectification r_t, plain momentum steps while ρ_t ≤ 5. */
export function radam(options: AdamOptions = {}): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = options;
  const rhoInf = 2 / (1 - beta2) - 1;
  return {
    name: 'radam',
    slots: ['m', 'v'],
    options: { beta1, beta2, eps, weightDecay },
    scalarNames: ['bc1', 'rect', 'plain'],
    // ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t). When ρ_t > 5 the step is m̂·r·√(1−β2^t)/(√v + eps) ('rect' = r·√(1−β2^t),
    // 'plain' = 0); otherwise it is m̂ ('rect' = 0, 'plain' = 1).
    stepScalars: (t) => {
      const bc2 = 1 - beta2 ** t;
      const rho = rhoInf - (2 * t * beta2 ** t) / bc2;
      const r = rho > 5 ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
      return { bc1: 1 - beta1 ** t, rect: r * Math.sqrt(bc2), plain: rho > 5 ? 0 : 1 };
    },
    update(param, grad, state, s) {
      const [m, v] = moments(withL2(param, grad, weightDecay), state, beta1, beta2);
      const mHat = F.div(m, s.scalars.bc1);
      const factor = F.add(F.div(s.scalars.rect, F.add(F.sqrt(v), c(param, eps))), s.scalars.plain);
      return { param: F.sub(param, F.mul(F.mul(mHat, factor), s.lr)), state: [m, v] };
    },
  };
}

/** Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch `clip_grad_norm_`, eps 1e-6). */
export function clipByGlobalNorm(grads: readonly Value[], maxNorm: number): Value[] {
  if (grads.length === 0) return [];
  const sq = grads.map((g) =>
    F.reduceSum(
      F.mul(g, g),
      g.shape.map((_, i) => i),
      false,
    ),
  );
  const total = F.sqrt(sq.reduce((a, b) => F.add(a, b)));
  const factor = F.min(c(total, 1), F.div(c(total, maxNorm), F.add(total, c(total, 1e-6))));
  return grads.map((g) => F.mul(g, factor));
}
