/**
 * Reductions over listed axes. Gradients broadcast dy back over the reduced axes; ReduceMax shares it equally
 * among tied maxima (as PyTorch's `amax`).
 */
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { normalizeAxis } from '../shape.ts';
import { int64 } from '../tensor.ts';
import { intAttr, intsAttr, need, shapeError } from './infer.ts';
import type { OpDef } from './types.ts';

function axesOf(node: Node): number[] {
  const x = node.inputs[0] as Value;
  return intsAttr(node.attrs, 'axes').map((a) => normalizeAxis(a, x.rank, node.op));
}

/** dy with the reduced axes restored as size 1, so it broadcasts against x. */
function kept(node: Node, v: Value): Value {
  return intAttr(node.attrs, 'keepdims', 1) === 1 ? v : F.unsqueeze(v, axesOf(node));
}

function reduction(name: string, grad: (node: Node, dy: Value) => Value): OpDef {
  return {
    name,
    inferShape: (inputs, attrs) => {
      const x = need(name, inputs, 0);
      const axes = intsAttr(attrs, 'axes').map((a) => normalizeAxis(a, x.shape.length, name));
      if (new Set(axes).size !== axes.length) throw shapeError(name, inputs, `axes [${axes.join(',')}] repeat`);
      const keep = intAttr(attrs, 'keepdims', 1) === 1;
      const shape = keep
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      return [{ dtype: x.dtype, shape }];
    },
    toOnnx: (node, e) => {
      const axes = axesOf(node);
      e.node(
        name,
        [e.name(node.inputs[0]), e.constant(int64(axes, [axes.length]))],
        [e.name(node.outputs[0])],
        { keepdims: intAttr(node.attrs, 'keepdims', 1) },
        { keepdims: 'int' },
      );
    },
    grad: (node, [dy]) => [grad(node, dy as Value)],
  };
}

/** ReduceSum, ReduceMean and ReduceMax. */
export const reduceOps: readonly OpDef[] = [
  reduction('ReduceSum', (node, dy) => F.expandLike(kept(node, dy), node.inputs[0] as Value)),
  reduction('ReduceMean', (node, dy) => {
    const x = node.inputs[0] as Value;
    const count = axesOf(node).reduce((p, a) => p * (x.shape[a] as number), 1);
    return F.expandLike(F.mul(kept(node, dy), F.scalarLike(dy, 1 / count)), x);
  }),
  reduction('ReduceMax', (node, dy) => {
    const x = node.inputs[0] as Value;
    const hit = F.equal(x, F.expandLike(kept(node, node.outputs[0]), x));
    const ties = F.reduceSum(F.cast(hit, x.dtype), axesOf(node), true);
    const share = F.expandLike(F.div(kept(node, dy), ties), x);
    return F.where(hit, share, F.scalarLike(dy, 0));
  }),
];
