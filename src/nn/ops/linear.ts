/** Matrix products. MatMul broadcasts batch axes (their gradients are summed back); Gemm is 2-D only. */
import * as F from '../functional.ts';
import type { Value } from '../graph.ts';
import { broadcastShapes, type Dim } from '../shape.ts';
import { floatAttr, intAttr, need, shapeError } from './infer.ts';
import type { OpDef } from './types.ts';

function swapLast(x: Value): Value {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return F.transpose(x, perm);
}

/** MatMul and Gemm. */
export const linearOps: readonly OpDef[] = [
  {
    name: 'MatMul',
    inferShape: (inputs) => {
      const a = need('MatMul', inputs, 0);
      const b = need('MatMul', inputs, 1);
      if (a.shape.length < 2 || b.shape.length < 2) throw shapeError('MatMul', inputs, 'both operands need rank ≥ 2');
      const k1 = a.shape[a.shape.length - 1];
      const k2 = b.shape[b.shape.length - 2];
      if (k1 !== k2) throw shapeError('MatMul', inputs, `inner dimensions differ (${k1} vs ${k2})`);
      let batch: Dim[];
      try {
        batch = broadcastShapes('MatMul', [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
      } catch {
        throw shapeError('MatMul', inputs, 'batch axes do not broadcast');
      }
      return [{ dtype: a.dtype, shape: [...batch, a.shape[a.shape.length - 2], b.shape[b.shape.length - 1]] }];
    },
    grad: (node, [dy]) => {
      const [a, b] = node.inputs as Value[];
      const d = dy as Value;
      return [F.sumTo(F.matmul(d, swapLast(b)), a), F.sumTo(F.matmul(swapLast(a), d), b)];
    },
  },
  {
    name: 'Gemm',
    attrKinds: { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' },
    inferShape: (inputs, attrs) => {
      const a = need('Gemm', inputs, 0);
      const b = need('Gemm', inputs, 1);
      if (a.shape.length !== 2 || b.shape.length !== 2) throw shapeError('Gemm', inputs, 'A and B must be 2-D');
      const [m, ka] = intAttr(attrs, 'transA', 0) ? [a.shape[1], a.shape[0]] : a.shape;
      const [kb, n] = intAttr(attrs, 'transB', 0) ? [b.shape[1], b.shape[0]] : b.shape;
      if (ka !== kb) throw shapeError('Gemm', inputs, `inner dimensions differ (${ka} vs ${kb})`);
      const c = inputs[2];
      if (c) {
        try {
          broadcastShapes('Gemm', [c.shape, [m, n]]);
        } catch {
          throw shapeError('Gemm', inputs, `C does not broadcast to [${m},${n}]`);
        }
      }
      return [{ dtype: a.dtype, shape: [m, n] }];
    },
    grad: (node, [dy]) => {
      const [a, b, c] = node.inputs as (Value | null)[];
      const d = dy as Value;
      const alpha = floatAttr(node.attrs, 'alpha', 1);
      const tA = intAttr(node.attrs, 'transA', 0) === 1;
      const tB = intAttr(node.attrs, 'transB', 0) === 1;
      // With A' = op(A), B' = op(B): dA' = dy·B'ᵀ and dB' = A'ᵀ·dy, transposed back where op transposed.
      const da = tA
        ? F.gemm(b as Value, d, null, { alpha, transA: tB, transB: true })
        : F.gemm(d, b as Value, null, { alpha, transB: !tB });
      const db = tB
        ? F.gemm(d, a as Value, null, { alpha, transA: true, transB: tA })
        : F.gemm(a as Value, d, null, { alpha, transA: !tA });
      const dc = c === null ? null : F.sumTo(F.mul(d, F.scalarLike(d, floatAttr(node.attrs, 'beta', 1))), c);
      return [da, db, dc];
    },
  },
];
