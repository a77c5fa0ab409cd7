/**
 * Finite-difference check of gradient rules (as JAX's `check_grads`): for random directions v, the central
 * difference (L(x+εv) − L(x−εv))/2ε of L = Σ y·u (u a random upstream) must match Σ ⟨∂L/∂x, v⟩ from `grad`.
 * Runs in float32 on ONNX Runtime, so ε is large (1e-2 by default) and inputs should stay ε-far from kinks.
 */
import { grad } from './autodiff.ts';
import * as F from './functional.ts';
import { Graph, type Value } from './graph.ts';
import { toOnnxModel } from './onnx.ts';
import type { OpDef } from './ops/types.ts';
import { Prng } from './prng.ts';
import { Session } from './session.ts';
import type { TensorData } from './tensor.ts';

/** How an input's values are drawn: standard normal, |x| ≥ 0.2 (clear of kinks at 0), positive, or all distinct. */
export type InputKind = 'normal' | 'awayFromZero' | 'positive' | 'distinct';

/** One input of the graph `checkGradients` builds. */
export interface CheckedInput {
  /** Static shape of the input. */
  readonly shape: readonly number[];
  /** Default 'normal'. */
  readonly kind?: InputKind;
  /** Integer inputs (indices, targets) are fed as given and not differentiated. */
  readonly int64?: readonly number[];
}

/** Options of `checkGradients`. */
export interface GradCheckOptions {
  /** Step of the central difference; default 1e-2. */
  readonly eps?: number;
  /** Random directions; default 3. */
  readonly directions?: number;
  /** Seed of the inputs, the upstream gradient and the directions; default 1. */
  readonly seed?: number;
  /** Operator registry of the checked graph; default the built-ins. */
  readonly ops?: ReadonlyMap<string, OpDef>;
}

/** What `checkGradients` returns. */
export interface GradCheckResult {
  /** Worst |fd − analytic| / max(|fd|, |analytic|, 1e-3) over directions. */
  readonly maxRelError: number;
  /** Static shape of the checked function's output. */
  readonly outputShape: readonly number[];
}

function draw(kind: InputKind, n: number, rng: Prng): Float32Array {
  const out = new Float32Array(n);
  if (kind === 'distinct') {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let i = 0; i < n; i++) out[i] = (order[i] - n / 2) * 0.1;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    out[i] = kind === 'normal' ? z : kind === 'positive' ? 0.5 + Math.abs(z) : Math.sign(z || 1) * (0.2 + Math.abs(z));
  }
  return out;
}

/** Checks the gradients of `build(inputs…)` with respect to every float input. */
export async function checkGradients(
  inputs: readonly CheckedInput[],
  build: (...xs: Value[]) => Value,
  options: GradCheckOptions = {},
): Promise<GradCheckResult> {
  const eps = options.eps ?? 1e-2;
  const rng = new Prng(options.seed ?? 1);
  const g = new Graph(options.ops);
  const vals = inputs.map((inp, i) => g.input(`in${i}`, inp.int64 ? 'int64' : 'float32', inp.shape));
  const y = build(...vals);
  const upstream = draw(
    'normal',
    y.staticShape.reduce((a, b) => a * b, 1),
    rng,
  );
  const u = g.constant({ dtype: 'float32', shape: y.staticShape, data: upstream }, 'upstream');
  const loss = F.reduceSum(
    F.mul(y, u),
    y.shape.map((_, i) => i),
    false,
  );
  const floatIdx = inputs.map((inp, i) => i).filter((i) => !inputs[i].int64);
  const grads = grad(
    loss,
    floatIdx.map((i) => vals[i]),
  );
  const outputs: Record<string, Value> = { loss: F.identity(loss) };
  floatIdx.forEach((i, k) => (outputs[`d${i}`] = grads[k]));
  const session = await Session.create(toOnnxModel(g, { outputs }), { threads: 1 });
  try {
    const base: Record<string, TensorData> = {};
    inputs.forEach((inp, i) => {
      base[`in${i}`] = inp.int64
        ? { dtype: 'int64', shape: [...inp.shape], data: BigInt64Array.from(inp.int64, (v) => BigInt(v)) }
        : {
            dtype: 'float32',
            shape: [...inp.shape],
            data: draw(
              inp.kind ?? 'normal',
              inp.shape.reduce((a, b) => a * b, 1),
              rng,
            ),
          };
    });
    const at = await session.run(base);
    const lossAt = async (v: Map<number, Float32Array>, sign: number): Promise<number> => {
      const feeds = { ...base };
      for (const [i, dir] of v) {
        const x = base[`in${i}`].data as Float32Array;
        feeds[`in${i}`] = {
          dtype: 'float32',
          shape: base[`in${i}`].shape,
          data: x.map((xv, k) => xv + sign * eps * dir[k]),
        };
      }
      return ((await session.run(feeds, ['loss'])).loss.data as Float32Array)[0];
    };
    let worst = 0;
    for (let d = 0; d < (options.directions ?? 3); d++) {
      const dirs = new Map(floatIdx.map((i) => [i, draw('normal', (base[`in${i}`].data as Float32Array).length, rng)]));
      let analytic = 0;
      for (const [i, dir] of dirs) {
        const gi = at[`d${i}`].data as Float32Array;
        for (let k = 0; k < dir.length; k++) analytic += gi[k] * dir[k];
      }
      const fd = ((await lossAt(dirs, 1)) - (await lossAt(dirs, -1))) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic), 1e-3));
    }
    return { maxRelError: worst, outputShape: y.staticShape };
  } finally {
    await session.release();
  }
}
