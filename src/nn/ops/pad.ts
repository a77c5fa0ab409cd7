/**
 * Pad's output shape and gradient. Constant padding's gradient is the central slice; reflect padding also folds
 * the mirrored borders back onto the cells they copied (axis by axis, as reflection is separable).
 */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import type { Dim } from '../shape.ts';
import { intsAttr, shapeError, stringAttr } from './infer.ts';
import { flip } from './slice.ts';
import type { ValueType } from './types.ts';

/** Pad's output shape: each axis grows by its begin and end pads; throws on a padded symbolic axis. */
export function padShape(shape: readonly Dim[], pads: readonly number[], inputs: readonly (ValueType | null)[]): Dim[] {
  const r = shape.length;
  if (pads.length !== 2 * r) throw shapeError('Pad', inputs, `pads has ${pads.length} entries, expected ${2 * r}`);
  return shape.map((d, i) => {
    if (pads[i] === 0 && pads[r + i] === 0) return d;
    if (typeof d !== 'number') throw shapeError('Pad', inputs, `axis ${i} is symbolic`);
    return d + pads[i] + pads[r + i];
  });
}

function sliceAxis(x: Value, axis: number, start: number, end: number): Value {
  return F.slice(x, [start], [end], [axis]);
}

function padAxis(x: Value, axis: number, before: number, after: number): Value {
  const pads = Array(2 * x.rank).fill(0);
  pads[axis] = before;
  pads[x.rank + axis] = after;
  return F.pad(x, { pads });
}

/** dL/dx of a Pad node: the central slice of dy (constant mode), plus the mirrored borders folded back (reflect). */
export function padGrad(node: Node, dy: Value): Value {
  const x = node.inputs[0] as Value;
  const pads = intsAttr(node.attrs, 'pads');
  const r = x.rank;
  if (pads.some((p) => p < 0))
    throw new MultiraterError('not_differentiable', 'Pad: negative pads have no gradient rule');
  const mode = stringAttr(node.attrs, 'mode', 'constant');
  if (mode === 'constant') {
    const axes = x.shape.map((_, i) => i).filter((i) => pads[i] !== 0 || pads[r + i] !== 0);
    return F.slice(
      dy,
      axes.map((i) => pads[i]),
      axes.map((i) => pads[i] + (x.shape[i] as number)),
      axes,
    );
  }
  if (mode !== 'reflect') throw new MultiraterError('not_differentiable', `Pad: mode '${mode}' has no gradient rule`);
  let d = dy;
  for (let axis = 0; axis < r; axis++) {
    const [b, a] = [pads[axis], pads[r + axis]];
    if (b === 0 && a === 0) continue;
    const len = x.shape[axis] as number;
    let acc = sliceAxis(d, axis, b, b + len);
    // Output cell i < b copied input cell b − i; output cell b + len + i copied input cell len − 2 − i.
    if (b > 0) acc = F.add(acc, padAxis(flip(sliceAxis(d, axis, 0, b), [axis]), axis, 1, len - 1 - b));
    if (a > 0) acc = F.add(acc, padAxis(flip(sliceAxis(d, axis, b + len, b + len + a), [axis]), axis, len - 1 - a, 1));
    d = acc;
  }
  return d;
}
