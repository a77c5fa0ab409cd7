/**
 * Elementwise arithmetic, comparison and selection. Broadcasting gradients are summed back to each input's
 * shape with `sumTo`. Comparisons and Sign carry no gradient.
 */
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { isFloat, onnxDataType } from '../shape.ts';
import { broadcasting, need, sameAsFirst, shapeError } from './infer.ts';
import type { OpDef, ValueType } from './types.ts';

function input(node: Node, i: number): Value {
  return node.inputs[i] as Value;
}

function unary(name: string, grad?: (x: Value, y: Value, dy: Value) => Value): OpDef {
  return {
    name,
    inferShape: sameAsFirst(name),
    grad: grad && ((node, [dy]) => [grad(input(node, 0), node.outputs[0], dy as Value)]),
  };
}

function binary(name: string, grad: (a: Value, b: Value, y: Value, dy: Value) => [Value | null, Value | null]): OpDef {
  return {
    name,
    inferShape: broadcasting(name),
    grad: (node, [dy]) => {
      const a = input(node, 0);
      const b = input(node, 1);
      const [da, db] = grad(a, b, node.outputs[0], dy as Value);
      return [da && F.sumTo(da, a), db && F.sumTo(db, b)];
    },
  };
}

function comparison(name: string): OpDef {
  return { name, inferShape: broadcasting(name, 'bool') };
}

/** Arithmetic (Add … Min, Pow), unary maths, comparisons and logic, Clip, Where and Cast. */
export const elementwiseOps: readonly OpDef[] = [
  binary('Add', (_a, _b, _y, dy) => [dy, dy]),
  binary('Sub', (_a, _b, _y, dy) => [dy, F.neg(dy)]),
  binary('Mul', (a, b, _y, dy) => [F.mul(dy, b), F.mul(dy, a)]),
  binary('Div', (_a, b, y, dy) => {
    const da = F.div(dy, b);
    return [da, F.neg(F.mul(da, y))];
  }),
  // d(a^p)/da = p·a^(p−1); the exponent is a constant and takes no gradient.
  binary('Pow', (a, b, _y, dy) => [
    F.mul(dy, F.mul(b, a.graph.apply('Pow', [a, F.sub(b, F.scalarLike(b, 1))])[0])),
    null,
  ]),
  binary('Max', (a, b, _y, dy) => {
    const takeA = F.not(F.less(a, b));
    return [F.where(takeA, dy, F.scalarLike(dy, 0)), F.where(takeA, F.scalarLike(dy, 0), dy)];
  }),
  binary('Min', (a, b, _y, dy) => {
    const takeA = F.not(F.greater(a, b));
    return [F.where(takeA, dy, F.scalarLike(dy, 0)), F.where(takeA, F.scalarLike(dy, 0), dy)];
  }),
  unary('Neg', (_x, _y, dy) => F.neg(dy)),
  unary('Exp', (_x, y, dy) => F.mul(dy, y)),
  unary('Log', (x, _y, dy) => F.div(dy, x)),
  unary('Sqrt', (_x, y, dy) => F.div(dy, F.mul(y, F.scalarLike(y, 2)))),
  unary('Abs', (x, _y, dy) => F.mul(dy, F.sign(x))),
  { name: 'Sign', inferShape: sameAsFirst('Sign'), grad: () => [null] },
  { name: 'Floor', inferShape: sameAsFirst('Floor'), grad: () => [null] },
  unary('Identity', (_x, _y, dy) => dy),
  unary('Not'),
  comparison('Equal'),
  comparison('Greater'),
  comparison('Less'),
  comparison('And'),
  {
    name: 'Clip',
    inferShape: sameAsFirst('Clip'),
    // PyTorch's clamp passes the gradient where lo ≤ x ≤ hi.
    grad: (node, [dy]) => {
      const [x, lo, hi] = node.inputs as (Value | null)[];
      let mask: Value | null = null;
      if (lo !== null) mask = F.not(F.less(x as Value, lo));
      if (hi !== null) {
        const m = F.not(F.greater(x as Value, hi));
        mask = mask === null ? m : F.and(mask, m);
      }
      return [mask === null ? dy : F.where(mask, dy as Value, F.scalarLike(dy as Value, 0)), null, null];
    },
  },
  {
    name: 'Where',
    inferShape: (inputs) => {
      const c = need('Where', inputs, 0);
      if (c.dtype !== 'bool') throw shapeError('Where', inputs, `condition must be bool, got ${c.dtype}`);
      const [t] = broadcasting('Where')([need('Where', inputs, 1), need('Where', inputs, 2)]);
      return broadcasting('Where', t.dtype)([c, t]);
    },
    grad: (node, [dy]) => {
      const [c, a, b] = node.inputs as Value[];
      const zero = F.scalarLike(dy as Value, 0);
      return [null, F.sumTo(F.where(c, dy as Value, zero), a), F.sumTo(F.where(c, zero, dy as Value), b)];
    },
  },
  {
    name: 'Cast',
    attrKinds: { to: 'int' },
    inferShape: (inputs, attrs): ValueType[] => [
      { dtype: attrs.to as ValueType['dtype'], shape: need('Cast', inputs, 0).shape },
    ],
    toOnnx: (node, e) =>
      e.node(
        'Cast',
        [e.name(node.inputs[0])],
        [e.name(node.outputs[0])],
        { to: onnxDataType(node.attrs.to as ValueType['dtype']) },
        { to: 'int' },
      ),
    grad: (node, [dy]) => {
      const x = input(node, 0);
      return [isFloat(x.dtype) && isFloat(node.outputs[0].dtype) ? F.cast(dy as Value, x.dtype) : null];
    },
  },
];
