/**
 * Resize of the spatial axes: nearest with integer scales (output cell i copies input cell ⌊i/s⌋, PyTorch's
 * `nearest`) and linear with half-pixel centres (PyTorch `align_corners=False`). The nearest gradient sums each
 * s×s block; the linear one applies the transposed interpolation matrix of each axis.
 */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { intsAttr, need, shapeError, stringAttr } from './infer.ts';
import type { Attrs, OpDef } from './types.ts';

/** Row-major [out, in] matrix of half-pixel linear interpolation weights for one axis, with edge clamping. */
export function linearWeights(inSize: number, outSize: number, scale: number): Float32Array {
  const a = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const src = Math.min(Math.max((o + 0.5) / scale - 0.5, 0), inSize - 1);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const t = src - i0;
    a[o * inSize + i0] += 1 - t;
    a[o * inSize + i1] += t;
  }
  return a;
}

function nearestGrad(x: Value, dy: Value, scales: readonly number[]): Value {
  const xs = x.staticShape;
  const split: number[] = [];
  const axes: number[] = [];
  xs.forEach((d, i) => {
    split.push(d);
    if (scales[i] !== 1) {
      split.push(scales[i]);
      axes.push(split.length - 1);
    }
  });
  return F.reshape(F.reduceSum(F.reshape(dy, split), axes, false), xs);
}

function linearGrad(x: Value, dy: Value, scales: readonly number[]): Value {
  const xs = x.staticShape;
  let t = dy;
  for (let j = xs.length - 1; j >= 2; j--) {
    if (scales[j] === 1) continue;
    const cur = t.staticShape;
    const a = linearWeights(xs[j], cur[j], scales[j]);
    const m = x.graph.constant({ dtype: 'float32', shape: [cur[j], xs[j]], data: a }, 'resize_weights');
    if (j === xs.length - 1) {
      t = F.matmul(t, m);
    } else {
      const rest = cur.slice(j + 1).reduce((p, d) => p * d, 1);
      const mT = F.transpose(m, [1, 0]);
      const moved = F.matmul(mT, F.reshape(t, [...cur.slice(0, j + 1), rest]));
      t = F.reshape(moved, [...cur.slice(0, j), xs[j], ...cur.slice(j + 1)]);
    }
  }
  return t;
}

/** Resize (nearest and linear). */
export const resizeOps: readonly OpDef[] = [
  {
    name: 'Resize',
    inferShape: (inputs, attrs) => {
      const x = need('Resize', inputs, 0);
      const scales = intsAttr(attrs, 'scales');
      const mode = stringAttr(attrs, 'mode');
      if (scales.length !== x.shape.length)
        throw shapeError('Resize', inputs, `${scales.length} scales for rank ${x.shape.length}`);
      if (scales[0] !== 1 || scales[1] !== 1) throw shapeError('Resize', inputs, 'N and C scales must be 1');
      if (mode === 'nearest' && scales.some((s) => !Number.isInteger(s)))
        throw shapeError('Resize', inputs, `nearest needs integer scales, got [${scales.join(',')}]`);
      if (mode !== 'nearest' && mode !== 'linear')
        throw shapeError('Resize', inputs, `mode '${mode}' is not supported`);
      return [
        { dtype: x.dtype, shape: x.shape.map((d, i) => (typeof d === 'number' ? Math.floor(d * scales[i]) : d)) },
      ];
    },
    toOnnx: (node: Node, e) => {
      const scales = intsAttr(node.attrs, 'scales');
      const s = e.constant({ dtype: 'float32', shape: [scales.length], data: Float32Array.from(scales) });
      const nearest = stringAttr(node.attrs, 'mode') === 'nearest';
      const attrs: Attrs = nearest
        ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
        : { mode: 'linear', coordinate_transformation_mode: 'half_pixel' };
      const kinds = { mode: 'string', coordinate_transformation_mode: 'string', nearest_mode: 'string' } as const;
      e.node('Resize', [e.name(node.inputs[0]), '', s], [e.name(node.outputs[0])], attrs, kinds);
    },
    grad: (node, [dy]) => {
      const x = node.inputs[0] as Value;
      const scales = intsAttr(node.attrs, 'scales');
      const mode = stringAttr(node.attrs, 'mode');
      if (mode === 'nearest') return [nearestGrad(x, dy as Value, scales)];
      if (mode === 'linear') return [linearGrad(x, dy as Value, scales)];
      throw new MultiraterError('not_differentiable', `Resize: mode '${mode}' has no gradient rule`);
    },
  },
];
