/**
 * Operators that move or copy elements without arithmetic: Concat, Split, Slice, Transpose, the reshapes,
 * Expand, Pad, Gather and the scatters. Their gradients move the gradient back (Split ↔ Concat, Slice ↔ Pad,
 * Expand ↔ sum). Engine attributes that ONNX takes as tensor inputs (shapes, pads, axes) are written as
 * int64 initializers by `toOnnx`.
 */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { broadcastShapes, normalizeAxis, type Dim } from '../shape.ts';
import { int64 } from '../tensor.ts';
import { intAttr, intsAttr, need, shapeError, stringAttr } from './infer.ts';
import type { OnnxEmitter, OpDef, ValueType } from './types.ts';
import { padGrad, padShape } from './pad.ts';
import { sliceGrad, sliceShape } from './slice.ts';

/** Writes `op(x, const(ints…)…)` with each listed attribute turned into an int64 tensor input. */
function withTensorInputs(
  opType: string,
  tensorAttrs: readonly string[],
  keep: Readonly<Record<string, 'int' | 'string'>> = {},
) {
  return (node: Node, e: OnnxEmitter): void => {
    const extra = tensorAttrs.map((a) => {
      const v = intsAttr(node.attrs, a);
      return e.constant(int64(v, [v.length]));
    });
    const attrs = Object.fromEntries(Object.keys(keep).map((k) => [k, node.attrs[k]]));
    e.node(
      opType,
      [...node.inputs.map((v) => e.name(v)), ...extra],
      node.outputs.map((o) => e.name(o)),
      attrs,
      keep,
    );
  };
}

/** Writes `op(x, Shape(like))`: the `…Like` operators' ONNX form, the target shape read from their second input. */
function withShapeOf(opType: string) {
  return (node: Node, e: OnnxEmitter): void => {
    const s = e.fresh('shape');
    e.node('Shape', [e.name(node.inputs[1])], [s]);
    e.node(opType, [e.name(node.inputs[0]), s], [e.name(node.outputs[0])]);
  };
}

function reshapeTo(op: string, inputs: readonly (ValueType | null)[], target: readonly number[]): ValueType {
  const x = need(op, inputs, 0);
  const out: Dim[] = target.map((d, i) => (d === 0 ? x.shape[i] : d));
  const known = out.filter((d) => d !== -1);
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    const total = x.shape.reduce<number>((p, d) => p * (d as number), 1);
    const rest = known.reduce<number>((p, d) => p * (d as number), 1);
    if (known.some((d) => typeof d !== 'number') || x.shape.some((d) => typeof d !== 'number') || total % rest !== 0) {
      throw shapeError(op, inputs, `cannot infer -1 in [${target.join(',')}]`);
    }
    out[inferred] = total / rest;
  }
  return { dtype: x.dtype, shape: out };
}

const back = (node: Node, [dy]: readonly (Value | null)[]): (Value | null)[] => [
  F.reshapeLike(dy as Value, node.inputs[0] as Value),
];

/** Concat, Split, Slice, Transpose, the reshapes, Expand, Pad, Gather, GatherElements and the scatters. */
export const layoutOps: readonly OpDef[] = [
  {
    name: 'Concat',
    attrKinds: { axis: 'int' },
    inferShape: (inputs, attrs) => {
      const first = need('Concat', inputs, 0);
      const axis = normalizeAxis(intAttr(attrs, 'axis'), first.shape.length, 'Concat');
      const shape = [...first.shape];
      let total: Dim = 0;
      for (const t of inputs as ValueType[]) {
        if (t.shape.length !== shape.length || t.shape.some((d, i) => i !== axis && d !== shape[i])) {
          throw shapeError('Concat', inputs, `shapes differ off axis ${axis}`);
        }
        total =
          typeof total === 'number' && typeof t.shape[axis] === 'number'
            ? total + (t.shape[axis] as number)
            : `${total}+${t.shape[axis]}`;
      }
      shape[axis] = total;
      return [{ dtype: first.dtype, shape }];
    },
    grad: (node, [dy]) => {
      const axis = normalizeAxis(intAttr(node.attrs, 'axis'), node.outputs[0].rank, 'Concat');
      return F.split(
        dy as Value,
        axis,
        node.inputs.map((v) => (v as Value).shape[axis] as number),
      );
    },
  },
  {
    name: 'Split',
    inferShape: (inputs, attrs) => {
      const x = need('Split', inputs, 0);
      const axis = normalizeAxis(intAttr(attrs, 'axis'), x.shape.length, 'Split');
      const sizes = intsAttr(attrs, 'split');
      if (sizes.reduce((a, b) => a + b, 0) !== x.shape[axis])
        throw shapeError('Split', inputs, `sizes [${sizes.join(',')}] do not add up to axis ${axis}`);
      return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? s : d)) }));
    },
    toOnnx: withTensorInputs('Split', ['split'], { axis: 'int' }),
    grad: (node, dOut) => {
      const axis = normalizeAxis(intAttr(node.attrs, 'axis'), node.outputs[0].rank, 'Split');
      const parts = dOut.map((d, i) => d ?? zerosLike(node.outputs[i]));
      return [F.concat(parts, axis)];
    },
  },
  {
    name: 'Slice',
    inferShape: (inputs, attrs) => {
      const x = need('Slice', inputs, 0);
      return [{ dtype: x.dtype, shape: sliceShape(x.shape, attrs, inputs) }];
    },
    toOnnx: withTensorInputs('Slice', ['starts', 'ends', 'axes', 'steps']),
    grad: (node, [dy]) => [sliceGrad(node, dy as Value)],
  },
  {
    name: 'Transpose',
    attrKinds: { perm: 'ints' },
    inferShape: (inputs, attrs) => {
      const x = need('Transpose', inputs, 0);
      const perm = intsAttr(attrs, 'perm');
      if (perm.length !== x.shape.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
        throw shapeError('Transpose', inputs, `perm [${perm.join(',')}] is not a permutation of the axes`);
      }
      return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }];
    },
    grad: (node, [dy]) => {
      const perm = intsAttr(node.attrs, 'perm');
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [F.transpose(dy as Value, inverse)];
    },
  },
  {
    name: 'Reshape',
    inferShape: (inputs, attrs) => [reshapeTo('Reshape', inputs, intsAttr(attrs, 'shape'))],
    toOnnx: withTensorInputs('Reshape', ['shape']),
    grad: back,
  },
  {
    name: 'ReshapeLike',
    inferShape: (inputs) => [
      { dtype: need('ReshapeLike', inputs, 0).dtype, shape: need('ReshapeLike', inputs, 1).shape },
    ],
    toOnnx: withShapeOf('Reshape'),
    grad: (node, [dy]) => [F.reshapeLike(dy as Value, node.inputs[0] as Value), null],
  },
  {
    name: 'Flatten',
    attrKinds: { axis: 'int' },
    inferShape: (inputs, attrs) => {
      const x = need('Flatten', inputs, 0);
      const axis = normalizeAxis(intAttr(attrs, 'axis', 1), x.shape.length + 1, 'Flatten');
      const prod = (ds: readonly Dim[]): Dim =>
        ds.every((d) => typeof d === 'number') ? ds.reduce<number>((p, d) => p * (d as number), 1) : ds.join('*');
      return [{ dtype: x.dtype, shape: [prod(x.shape.slice(0, axis)), prod(x.shape.slice(axis))] }];
    },
    grad: back,
  },
  {
    name: 'Squeeze',
    inferShape: (inputs, attrs) => {
      const x = need('Squeeze', inputs, 0);
      const axes = intsAttr(attrs, 'axes').map((a) => normalizeAxis(a, x.shape.length, 'Squeeze'));
      if (axes.some((a) => x.shape[a] !== 1))
        throw shapeError('Squeeze', inputs, `axes [${axes.join(',')}] are not all of size 1`);
      return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
    },
    toOnnx: withTensorInputs('Squeeze', ['axes']),
    grad: back,
  },
  {
    name: 'Unsqueeze',
    inferShape: (inputs, attrs) => {
      const x = need('Unsqueeze', inputs, 0);
      const rank = x.shape.length + intsAttr(attrs, 'axes').length;
      const axes = intsAttr(attrs, 'axes').map((a) => normalizeAxis(a, rank, 'Unsqueeze'));
      const shape: Dim[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[k++]);
      return [{ dtype: x.dtype, shape }];
    },
    toOnnx: withTensorInputs('Unsqueeze', ['axes']),
    grad: back,
  },
  {
    name: 'Expand',
    inferShape: (inputs, attrs) => {
      const x = need('Expand', inputs, 0);
      try {
        return [{ dtype: x.dtype, shape: broadcastShapes('Expand', [x.shape, intsAttr(attrs, 'shape')]) }];
      } catch {
        throw shapeError('Expand', inputs, `cannot expand to [${intsAttr(attrs, 'shape').join(',')}]`);
      }
    },
    toOnnx: withTensorInputs('Expand', ['shape']),
    grad: (node, [dy]) => [F.sumTo(dy as Value, node.inputs[0] as Value)],
  },
  {
    name: 'ExpandLike',
    inferShape: (inputs) => broadcastingTo(need('ExpandLike', inputs, 0), need('ExpandLike', inputs, 1), inputs),
    toOnnx: withShapeOf('Expand'),
    grad: (node, [dy]) => [F.sumTo(dy as Value, node.inputs[0] as Value), null],
  },
  {
    name: 'Pad',
    inferShape: (inputs, attrs) => {
      const x = need('Pad', inputs, 0);
      return [{ dtype: x.dtype, shape: padShape(x.shape, intsAttr(attrs, 'pads'), inputs) }];
    },
    toOnnx: (node, e) => {
      const pads = intsAttr(node.attrs, 'pads');
      const x = node.inputs[0] as Value;
      const value = e.constant({ dtype: 'float32', shape: [], data: Float32Array.of(intAttr(node.attrs, 'value', 0)) });
      const inputs = [e.name(x), e.constant(int64(pads, [pads.length]))];
      if (x.dtype === 'float32') inputs.push(value);
      e.node('Pad', inputs, [e.name(node.outputs[0])], { mode: stringAttr(node.attrs, 'mode') }, { mode: 'string' });
    },
    grad: (node, [dy]) => [padGrad(node, dy as Value)],
  },
  {
    name: 'Gather',
    attrKinds: { axis: 'int' },
    inferShape: (inputs, attrs) => {
      const t = need('Gather', inputs, 0);
      const idx = need('Gather', inputs, 1);
      if (idx.dtype !== 'int64' && idx.dtype !== 'int32')
        throw shapeError('Gather', inputs, `indices must be integers, got ${idx.dtype}`);
      const axis = normalizeAxis(intAttr(attrs, 'axis', 0), t.shape.length, 'Gather');
      return [{ dtype: t.dtype, shape: [...t.shape.slice(0, axis), ...idx.shape, ...t.shape.slice(axis + 1)] }];
    },
    // Embedding rule (axis 0): the rows of dy are added into a zero table at their indices.
    grad: (node, [dy]) => {
      const [table, idx] = node.inputs as Value[];
      if (intAttr(node.attrs, 'axis', 0) !== 0)
        throw new MultiraterError('not_differentiable', 'Gather: only axis 0 (embedding lookup) has a gradient');
      const rows = idx.staticShape.reduce((a, b) => a * b, 1);
      const width = table.staticShape.slice(1);
      const flatIdx = F.reshape(F.cast(idx, 'int64'), [rows, 1]);
      const updates = F.reshape(dy as Value, [rows, ...width]);
      return [table.graph.apply('ScatterND', [zerosLike(table), flatIdx, updates], { reduction: 'add' })[0], null];
    },
  },
  {
    name: 'GatherElements',
    attrKinds: { axis: 'int' },
    inferShape: (inputs) => [
      { dtype: need('GatherElements', inputs, 0).dtype, shape: need('GatherElements', inputs, 1).shape },
    ],
    // Each gathered element's gradient is added back where it was read from (indices may repeat).
    grad: (node, [dy]) => {
      const [data, idx] = node.inputs as Value[];
      return [F.scatterElements(zerosLike(data), idx, dy as Value, intAttr(node.attrs, 'axis', 0), 'add'), null];
    },
  },
  {
    name: 'ScatterElements',
    attrKinds: { axis: 'int', reduction: 'string' },
    inferShape: (inputs) => [need('ScatterElements', inputs, 0)],
  },
  {
    name: 'ScatterND',
    attrKinds: { reduction: 'string' },
    inferShape: (inputs) => [need('ScatterND', inputs, 0)],
  },
];

function broadcastingTo(x: ValueType, like: ValueType, inputs: readonly (ValueType | null)[]): ValueType[] {
  try {
    return [{ dtype: x.dtype, shape: broadcastShapes('ExpandLike', [x.shape, like.shape]) }];
  } catch {
    throw shapeError('ExpandLike', inputs, 'shapes do not broadcast');
  }
}

/** Zeros with the run-time shape of `like` (a broadcast scalar, so no large constant is stored). */
export function zerosLike(like: Value): Value {
  return F.expandLike(F.scalarLike(like, 0), like);
}
