/**
 * Activations and the softmax family. Rules use the forward output where that is cheaper
 * (sigmoid' = y(1−y), tanh' = 1−y², softmax' = y(dy − Σdy·y)).
 */
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { normalizeAxis } from '../shape.ts';
import { floatAttr, intAttr, need, sameAsFirst, shapeError } from './infer.ts';
import type { OpDef } from './types.ts';

function x0(node: Node): Value {
  return node.inputs[0] as Value;
}

function positive(x: Value): Value {
  return F.greater(x, F.scalarLike(x, 0));
}

function axisOf(node: Node): number {
  return normalizeAxis(intAttr(node.attrs, 'axis', -1), node.outputs[0].rank, node.op);
}

/** Relu, LeakyRelu, PRelu, Elu, Sigmoid, Tanh, Softmax, LogSoftmax and Dropout. */
export const activationOps: readonly OpDef[] = [
  {
    name: 'Relu',
    inferShape: sameAsFirst('Relu'),
    grad: (node, [dy]) => [F.where(positive(node.outputs[0]), dy as Value, F.scalarLike(dy as Value, 0))],
  },
  {
    name: 'LeakyRelu',
    attrKinds: { alpha: 'float' },
    inferShape: sameAsFirst('LeakyRelu'),
    grad: (node, [dy]) => {
      const d = dy as Value;
      return [F.where(positive(x0(node)), d, F.mul(d, F.scalarLike(d, floatAttr(node.attrs, 'alpha'))))];
    },
  },
  {
    name: 'PRelu',
    inferShape: (inputs) => {
      const x = need('PRelu', inputs, 0);
      const s = need('PRelu', inputs, 1);
      if (s.shape.length > x.shape.length) throw shapeError('PRelu', inputs, 'slope has more axes than x');
      return [x];
    },
    grad: (node, [dy]) => {
      const [x, slope] = node.inputs as Value[];
      const d = dy as Value;
      const pos = positive(x);
      const zero = F.scalarLike(d, 0);
      return [F.where(pos, d, F.mul(d, slope)), F.sumTo(F.where(pos, zero, F.mul(d, x)), slope)];
    },
  },
  {
    name: 'Elu',
    attrKinds: { alpha: 'float' },
    inferShape: sameAsFirst('Elu'),
    grad: (node, [dy]) => {
      const d = dy as Value;
      const y = node.outputs[0];
      return [F.where(positive(x0(node)), d, F.mul(d, F.add(y, F.scalarLike(y, floatAttr(node.attrs, 'alpha')))))];
    },
  },
  {
    name: 'Sigmoid',
    inferShape: sameAsFirst('Sigmoid'),
    grad: (node, [dy]) => {
      const y = node.outputs[0];
      return [F.mul(dy as Value, F.mul(y, F.sub(F.scalarLike(y, 1), y)))];
    },
  },
  {
    name: 'Tanh',
    inferShape: sameAsFirst('Tanh'),
    grad: (node, [dy]) => {
      const y = node.outputs[0];
      return [F.mul(dy as Value, F.sub(F.scalarLike(y, 1), F.mul(y, y)))];
    },
  },
  {
    name: 'Softmax',
    attrKinds: { axis: 'int' },
    inferShape: sameAsFirst('Softmax'),
    grad: (node, [dy]) => {
      const y = node.outputs[0];
      const d = dy as Value;
      return [F.mul(y, F.sub(d, F.reduceSum(F.mul(d, y), [axisOf(node)])))];
    },
  },
  {
    name: 'LogSoftmax',
    attrKinds: { axis: 'int' },
    inferShape: sameAsFirst('LogSoftmax'),
    grad: (node, [dy]) => {
      const d = dy as Value;
      return [F.sub(d, F.mul(F.exp(node.outputs[0]), F.reduceSum(d, [axisOf(node)])))];
    },
  },
  {
    // Outputs [y, mask]; ONNX Dropout in training mode scales kept values by 1/(1−ratio).
    name: 'Dropout',
    inferShape: (inputs) => {
      const x = need('Dropout', inputs, 0);
      return [x, { dtype: 'bool', shape: x.shape }];
    },
    toOnnx: (node, e) => {
      const ratio = e.constant({ dtype: 'float32', shape: [], data: Float32Array.of(floatAttr(node.attrs, 'ratio')) });
      const training = e.constant({ dtype: 'bool', shape: [], data: Uint8Array.of(1) });
      e.node(
        'Dropout',
        [e.name(node.inputs[0]), ratio, training],
        node.outputs.map((o) => e.name(o)),
        { seed: intAttr(node.attrs, 'seed') },
        { seed: 'int' },
      );
    },
    grad: (node, [dy]) => {
      const d = dy as Value;
      const keep = F.cast(node.outputs[1], d.dtype);
      return [F.mul(F.mul(d, keep), F.scalarLike(d, 1 / (1 - floatAttr(node.attrs, 'ratio'))))];
    },
  },
];
