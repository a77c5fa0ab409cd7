/**
 * Convolution and transposed convolution, 1-D to 3-D, with strides, pads, dilations and groups (ONNX layout:
 * x [N, C, …], w [M, C/group, k…] for Conv and [C, M/group, k…] for ConvTranspose). The gradient lowerings are
 * in `conv-grad.ts`; ConvTranspose's gradients are Conv's with the roles of input and output swapped.
 */
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import type { Dim } from '../shape.ts';
import { convInputGrad, convWeightGrad, type ConvGeometry } from './conv-grad.ts';
import { intAttr, intsAttr, need, shapeError } from './infer.ts';
import type { Attrs, OpDef, ValueType } from './types.ts';

/** A Conv node's strides, pads, dilations and group for `spatial` axes, defaults (1, 0, 1, 1) filled in. */
export function geometry(attrs: Attrs, spatial: number): ConvGeometry {
  return {
    strides: intsAttr(attrs, 'strides', Array(spatial).fill(1)),
    pads: intsAttr(attrs, 'pads', Array(2 * spatial).fill(0)),
    dilations: intsAttr(attrs, 'dilations', Array(spatial).fill(1)),
    group: intAttr(attrs, 'group', 1),
  };
}

function checkCommon(
  op: string,
  inputs: readonly (ValueType | null)[],
  attrs: Attrs,
): [ValueType, ValueType, ConvGeometry] {
  const x = need(op, inputs, 0);
  const w = need(op, inputs, 1);
  const k = x.shape.length - 2;
  if (k < 1 || k > 3) throw shapeError(op, inputs, `x must be [N, C, spatial…] with 1 to 3 spatial axes`);
  if (w.shape.length !== x.shape.length)
    throw shapeError(op, inputs, `w has rank ${w.shape.length}, expected ${x.shape.length}`);
  const g = geometry(attrs, k);
  if (g.strides.length !== k || g.dilations.length !== k || g.pads.length !== 2 * k)
    throw shapeError(op, inputs, `strides/dilations/pads do not match ${k} spatial axes`);
  const b = inputs[2];
  if (b && b.shape.length !== 1) throw shapeError(op, inputs, 'bias must be 1-D');
  return [x, w, g];
}

function biasGrad(dy: Value): Value {
  return F.reduceSum(
    dy,
    dy.shape.map((_, i) => i).filter((i) => i !== 1),
    false,
  );
}

/** Conv and ConvTranspose. */
export const convOps: readonly OpDef[] = [
  {
    name: 'Conv',
    attrKinds: { strides: 'ints', pads: 'ints', dilations: 'ints', group: 'int' },
    inferShape: (inputs, attrs) => {
      const [x, w, g] = checkCommon('Conv', inputs, attrs);
      const c = x.shape[1];
      if (typeof c === 'number' && c !== (w.shape[1] as number) * g.group)
        throw shapeError(
          'Conv',
          inputs,
          `x has ${c} channels, w expects ${(w.shape[1] as number) * g.group} (group ${g.group})`,
        );
      const b = inputs[2];
      if (b && b.shape[0] !== w.shape[0])
        throw shapeError('Conv', inputs, `bias has ${b.shape[0]} entries, w has ${w.shape[0]} filters`);
      const spatial: Dim[] = x.shape.slice(2).map((d, i) => {
        if (typeof d !== 'number') return d;
        const kk = w.shape[2 + i] as number;
        const n =
          Math.floor((d + g.pads[i] + g.pads[i + g.strides.length] - g.dilations[i] * (kk - 1) - 1) / g.strides[i]) + 1;
        if (n < 1) throw shapeError('Conv', inputs, `spatial axis ${i} would be empty`);
        return n;
      });
      return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], ...spatial] }];
    },
    grad: (node, [dy]) => {
      const [x, w, b] = node.inputs as (Value | null)[];
      const d = dy as Value;
      const g = geometry(node.attrs, d.rank - 2);
      return [
        convInputGrad(d, w as Value, x as Value, g),
        convWeightGrad(x as Value, d, w as Value, g),
        b === null ? null : biasGrad(d),
      ];
    },
  },
  {
    name: 'ConvTranspose',
    attrKinds: { strides: 'ints', pads: 'ints', dilations: 'ints', group: 'int', output_padding: 'ints' },
    inferShape: (inputs, attrs) => {
      const [x, w, g] = checkCommon('ConvTranspose', inputs, attrs);
      if (x.shape[1] !== w.shape[0])
        throw shapeError('ConvTranspose', inputs, `x has ${x.shape[1]} channels, w expects ${w.shape[0]}`);
      const outC = (w.shape[1] as number) * g.group;
      const b = inputs[2];
      if (b && b.shape[0] !== outC)
        throw shapeError('ConvTranspose', inputs, `bias has ${b.shape[0]} entries, output has ${outC} channels`);
      const k = g.strides.length;
      const op = intsAttr(attrs, 'output_padding', Array(k).fill(0));
      const spatial: Dim[] = x.shape.slice(2).map((d, i) => {
        if (typeof d !== 'number') return d;
        const kk = w.shape[2 + i] as number;
        return g.strides[i] * (d - 1) + op[i] + (kk - 1) * g.dilations[i] + 1 - g.pads[i] - g.pads[i + k];
      });
      return [{ dtype: x.dtype, shape: [x.shape[0], outC, ...spatial] }];
    },
    // ConvTranspose is the adjoint of Conv in its input, so dx is a Conv and dw is Conv's weight gradient with
    // the ConvTranspose output playing the convolution's input.
    grad: (node: Node, [dy]) => {
      const [x, w, b] = node.inputs as (Value | null)[];
      const d = dy as Value;
      const g = geometry(node.attrs, d.rank - 2);
      const dx = F.conv(d, w as Value, null, g);
      return [dx, convWeightGrad(d, x as Value, w as Value, g), b === null ? null : biasGrad(d)];
    },
  },
];
