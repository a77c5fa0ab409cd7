/**
 * Parameter initialisers as plain data (so a run records them), the fan-based rules that produce them
 * (He/Kaiming: He et al. 2015; Xavier/Glorot: Glorot & Bengio 2010; PyTorch's defaults for Conv and Linear),
 * and `initParams`, which draws every parameter of a graph from its own seeded stream.
 */
import type { Graph } from './graph.ts';
import { deriveSeed, Prng } from './prng.ts';

/** How a parameter's initial values are drawn: a constant, N(0, std²), or uniform in [−bound, bound]. */
export type Initializer =
  | {
      /** Every element the same value. */
      readonly kind: 'constant';
      /** The value every element takes. */
      readonly value: number;
    }
  | {
      /** Zero-mean normal draws. */
      readonly kind: 'normal';
      /** Standard deviation of the draws. */
      readonly std: number;
    }
  | {
      /** Uniform draws on [−bound, bound). */
      readonly kind: 'uniform';
      /** Half-width of the interval, centred on 0. */
      readonly bound: number;
    };

/** All 0 (biases, BatchNorm β and running mean). */
export const zeros: Initializer = { kind: 'constant', value: 0 };
/** All 1 (BatchNorm γ and running variance). */
export const ones: Initializer = { kind: 'constant', value: 1 };

/** Fans of a weight [out, in, k…] (Linear [out, in]; ConvTranspose's [in, out, k…] read the same way as PyTorch). */
export function fans(shape: readonly number[]): {
  /** Inputs per output: shape[1] (1 when absent) × the kernel's elements. */
  fanIn: number;
  /** Outputs per input: shape[0] × the kernel's elements. */
  fanOut: number;
} {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: (shape[1] ?? 1) * receptive, fanOut: shape[0] * receptive };
}

/** He normal, fan-in mode, ReLU gain √2: std = √2/√fanIn. */
export function heNormal(shape: readonly number[]): Initializer {
  return { kind: 'normal', std: Math.sqrt(2 / fans(shape).fanIn) };
}

/** He uniform with negative slope `a`: bound = √(6/((1+a²)·fanIn)). */
export function heUniform(shape: readonly number[], a = 0): Initializer {
  return { kind: 'uniform', bound: Math.sqrt(6 / ((1 + a * a) * fans(shape).fanIn)) };
}

/** Xavier/Glorot uniform: bound = √(6/(fanIn+fanOut)). */
export function xavierUniform(shape: readonly number[]): Initializer {
  const f = fans(shape);
  return { kind: 'uniform', bound: Math.sqrt(6 / (f.fanIn + f.fanOut)) };
}

/** Xavier/Glorot normal: std = √(2/(fanIn+fanOut)). */
export function xavierNormal(shape: readonly number[]): Initializer {
  const f = fans(shape);
  return { kind: 'normal', std: Math.sqrt(2 / (f.fanIn + f.fanOut)) };
}

/** PyTorch's default for Conv/Linear weights: He uniform with a = √5, i.e. bound = 1/√fanIn. */
export function torchWeight(shape: readonly number[]): Initializer {
  return heUniform(shape, Math.sqrt(5));
}

/** PyTorch's default for Conv/Linear biases: uniform ±1/√fanIn of the layer's weight. */
export function torchBias(weightShape: readonly number[]): Initializer {
  return { kind: 'uniform', bound: 1 / Math.sqrt(fans(weightShape).fanIn) };
}

/** Draws `count` values of `init` from `rng`. */
export function sample(init: Initializer, count: number, rng: Prng): Float32Array {
  const out = new Float32Array(count);
  if (init.kind === 'constant') return out.fill(init.value);
  for (let i = 0; i < count; i++)
    out[i] = init.kind === 'normal' ? init.std * rng.normal() : init.bound * (2 * rng.uniform() - 1);
  return out;
}

/** Initial values of every parameter of `graph`; parameter `name` draws from the stream (seed, name). */
export function initParams(graph: Graph, seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const p of graph.params.values()) {
    const count = p.value.staticShape.reduce((a, b) => a * b, 1);
    out.set(p.name, sample(p.init, count, new Prng(deriveSeed(seed, p.name))));
  }
  return out;
}
