/**
 * Pooling, 1-D to 3-D. MaxPool can also output the flat indices of its maxima (over N·C·spatial, first maximum
 * wins as in PyTorch); its gradient scatters dy to them. AveragePool excludes padding from the divisor
 * (PyTorch `count_include_pad=False`); its gradient spreads dy/count back with a depthwise transposed
 * convolution of ones. MaxUnpool (ENet's decoder) puts values back at MaxPool's indices; its gradient gathers
 * dy at those indices (GatherElements, in layout.ts).
 */
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import type { Dim } from '../shape.ts';
import { zerosLike } from './layout.ts';
import { intAttr, intsAttr, need, shapeError } from './infer.ts';
import { int64 } from '../tensor.ts';
import type { Attrs, OpDef, ValueType } from './types.ts';

interface PoolGeometry {
  kernel: readonly number[];
  strides: readonly number[];
  pads: readonly number[];
}

function poolGeometry(attrs: Attrs): PoolGeometry {
  const kernel = intsAttr(attrs, 'kernel_shape');
  return {
    kernel,
    strides: intsAttr(
      attrs,
      'strides',
      kernel.map(() => 1),
    ),
    pads: intsAttr(
      attrs,
      'pads',
      [...kernel, ...kernel].map(() => 0),
    ),
  };
}

function pooledShape(op: string, inputs: readonly (ValueType | null)[], attrs: Attrs): Dim[] {
  const x = need(op, inputs, 0);
  const g = poolGeometry(attrs);
  const s = g.kernel.length;
  if (x.shape.length !== s + 2)
    throw shapeError(op, inputs, `kernel has ${s} axes, x has ${x.shape.length - 2} spatial axes`);
  return [
    x.shape[0],
    x.shape[1],
    ...x.shape.slice(2).map((d, i) => {
      if (typeof d !== 'number') return d;
      const n = Math.floor((d + g.pads[i] + g.pads[s + i] - g.kernel[i]) / g.strides[i]) + 1;
      if (n < 1) throw shapeError(op, inputs, `spatial axis ${i} would be empty`);
      return n;
    }),
  ];
}

const poolKinds = { kernel_shape: 'ints', strides: 'ints', pads: 'ints' } as const;

/** Per output cell, how many input cells (not padding) its window covers; shape [1, 1, out…]. */
function windowCounts(inSp: readonly number[], outSp: readonly number[], g: PoolGeometry): Float32Array {
  const s = inSp.length;
  const perAxis = outSp.map((n, i) =>
    Array.from({ length: n }, (_, o) => {
      const lo = Math.max(o * g.strides[i] - g.pads[i], 0);
      const hi = Math.min(o * g.strides[i] - g.pads[i] + g.kernel[i], inSp[i]);
      return hi - lo;
    }),
  );
  const total = outSp.reduce((a, b) => a * b, 1);
  const out = new Float32Array(total);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let count = 1;
    for (let i = s - 1; i >= 0; i--) {
      count *= perAxis[i][rem % outSp[i]];
      rem = Math.floor(rem / outSp[i]);
    }
    out[flat] = count;
  }
  return out;
}

function averagePoolGrad(node: Node, dy: Value): Value {
  const x = node.inputs[0] as Value;
  const g = poolGeometry(node.attrs);
  const [, c, ...inSp] = x.staticShape;
  const outSp = dy.staticShape.slice(2);
  const counts = x.graph.constant(
    { dtype: 'float32', shape: [1, 1, ...outSp], data: windowCounts(inSp, outSp, g) },
    'pool_counts',
  );
  const ones = x.graph.constant(
    {
      dtype: 'float32',
      shape: [c, 1, ...g.kernel],
      data: new Float32Array(c * g.kernel.reduce((a, b) => a * b, 1)).fill(1),
    },
    'pool_ones',
  );
  const s = g.kernel.length;
  const outputPadding = inSp.map(
    (d, i) => d - (g.strides[i] * (outSp[i] - 1) + g.kernel[i] - g.pads[i] - g.pads[s + i]),
  );
  return F.convTranspose(F.div(dy, counts), ones, null, { strides: g.strides, pads: g.pads, group: c, outputPadding });
}

/** MaxPool, AveragePool, GlobalAveragePool and MaxUnpool. */
export const poolOps: readonly OpDef[] = [
  {
    name: 'MaxPool',
    attrKinds: poolKinds,
    // Engine attribute `indices` (1/0): whether the node also outputs the argmax indices. Without them (inference
    // graphs) ONNX Runtime takes its faster kernel; the gradient then recomputes them with a second MaxPool.
    inferShape: (inputs, attrs) => {
      const x = need('MaxPool', inputs, 0);
      const shape = pooledShape('MaxPool', inputs, attrs);
      return intAttr(attrs, 'indices', 0) === 1
        ? [
            { dtype: x.dtype, shape },
            { dtype: 'int64', shape },
          ]
        : [{ dtype: x.dtype, shape }];
    },
    grad: (node, [dy]) => {
      const x = node.inputs[0] as Value;
      const g = poolGeometry(node.attrs);
      const overlap = g.kernel.some((k, i) => k > g.strides[i]);
      const flatZeros = F.reshape(zerosLike(x), [-1]);
      const indices =
        node.outputs[1] ?? F.maxPoolWithIndices(x, { kernel: g.kernel, strides: g.strides, pads: g.pads })[1];
      const flatIdx = F.reshape(indices, [-1]);
      const scattered = F.scatterElements(
        flatZeros,
        flatIdx,
        F.reshape(dy as Value, [-1]),
        0,
        overlap ? 'add' : 'none',
      );
      return [F.reshapeLike(scattered, x)];
    },
  },
  {
    name: 'AveragePool',
    attrKinds: poolKinds,
    inferShape: (inputs, attrs) => [
      { dtype: need('AveragePool', inputs, 0).dtype, shape: pooledShape('AveragePool', inputs, attrs) },
    ],
    grad: (node, [dy]) => [averagePoolGrad(node, dy as Value)],
  },
  {
    name: 'GlobalAveragePool',
    inferShape: (inputs) => {
      const x = need('GlobalAveragePool', inputs, 0);
      return [{ dtype: x.dtype, shape: x.shape.map((d, i) => (i < 2 ? d : 1)) }];
    },
    grad: (node, [dy]) => {
      const x = node.inputs[0] as Value;
      const count = x.staticShape.slice(2).reduce((a, b) => a * b, 1);
      return [F.expandLike(F.mul(dy as Value, F.scalarLike(x, 1 / count)), x)];
    },
  },
  {
    name: 'MaxUnpool',
    attrKinds: poolKinds,
    inferShape: (inputs, attrs) => {
      const x = need('MaxUnpool', inputs, 0);
      const idx = need('MaxUnpool', inputs, 1);
      if (idx.dtype !== 'int64' || idx.shape.join() !== x.shape.join())
        throw shapeError('MaxUnpool', inputs, 'indices must be int64 shaped like x');
      const out = intsAttr(attrs, 'output_shape');
      if (out.length !== x.shape.length)
        throw shapeError('MaxUnpool', inputs, `output shape [${out.join(',')}] has the wrong rank`);
      return [{ dtype: x.dtype, shape: out }];
    },
    toOnnx: (node, e) => {
      const out = intsAttr(node.attrs, 'output_shape');
      const shape = e.constant(int64(out, [out.length]));
      e.node(
        'MaxUnpool',
        [e.name(node.inputs[0]), e.name(node.inputs[1]), shape],
        [e.name(node.outputs[0])],
        node.attrs,
        poolKinds,
      );
    },
    grad: (node, [dy]) => {
      const [x, idx] = node.inputs as Value[];
      const picked = x.graph.apply('GatherElements', [F.reshape(dy as Value, [-1]), F.reshape(idx, [-1])], {
        axis: 0,
      })[0];
      return [F.reshapeLike(picked, x), null];
    },
  },
];
