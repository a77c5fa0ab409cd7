/** Slice's output shape (ONNX clamping rules) and its gradient: zero-padding back, after flipping reversed axes. */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { normalizeAxis, type Dim } from '../shape.ts';
import { intsAttr, shapeError } from './infer.ts';
import type { Attrs, ValueType } from './types.ts';

interface AxisSlice {
  axis: number;
  start: number;
  end: number;
  step: number;
  size: number;
}

function resolve(shape: readonly Dim[], attrs: Attrs, inputs: readonly (ValueType | null)[]): AxisSlice[] {
  const starts = intsAttr(attrs, 'starts');
  const ends = intsAttr(attrs, 'ends');
  const axes = intsAttr(attrs, 'axes');
  const steps = intsAttr(attrs, 'steps');
  return axes.map((a, i) => {
    const axis = normalizeAxis(a, shape.length, 'Slice');
    const dim = shape[axis];
    if (typeof dim !== 'number') throw shapeError('Slice', inputs, `axis ${axis} is symbolic`);
    const step = steps[i];
    if (step === 0) throw shapeError('Slice', inputs, 'step 0');
    const wrap = (v: number): number => (v < 0 ? v + dim : v);
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    if (step > 0) {
      const start = clamp(wrap(starts[i]), 0, dim);
      const end = clamp(wrap(ends[i]), 0, dim);
      return { axis, start, end, step, size: Math.max(0, Math.ceil((end - start) / step)) };
    }
    const start = clamp(wrap(starts[i]), 0, dim - 1);
    const end = clamp(wrap(ends[i]), -1, dim - 1);
    return { axis, start, end, step, size: Math.max(0, Math.ceil((start - end) / -step)) };
  });
}

/** Slice's output shape, with ONNX's rules for negative and out-of-range starts and ends. */
export function sliceShape(shape: readonly Dim[], attrs: Attrs, inputs: readonly (ValueType | null)[]): Dim[] {
  const out = [...shape];
  for (const s of resolve(shape, attrs, inputs)) out[s.axis] = s.size;
  return out;
}

/** Flips `x` along `axes`. */
export function flip(x: Value, axes: readonly number[]): Value {
  const big = Number.MAX_SAFE_INTEGER;
  return F.slice(
    x,
    axes.map(() => -1),
    axes.map(() => -big),
    axes,
    axes.map(() => -1),
  );
}

/** dL/dx of a Slice node: dy zero-padded back into x's shape (steps ±1 only; others throw `not_differentiable`). */
export function sliceGrad(node: Node, dy: Value): Value {
  const x = node.inputs[0] as Value;
  const parts = resolve(x.shape, node.attrs, [x]);
  if (parts.some((p) => Math.abs(p.step) !== 1))
    throw new MultiraterError('not_differentiable', 'Slice: only steps 1 and -1 have a gradient');
  const reversed = parts.filter((p) => p.step === -1);
  const d =
    reversed.length > 0
      ? flip(
          dy,
          reversed.map((p) => p.axis),
        )
      : dy;
  const pads = Array(2 * x.rank).fill(0);
  for (const p of parts) {
    const dim = x.shape[p.axis] as number;
    const [lo, hi] = p.step === 1 ? [p.start, p.end] : [p.end + 1, p.start + 1];
    pads[p.axis] = lo;
    pads[x.rank + p.axis] = dim - hi;
  }
  return pads.every((v) => v === 0) ? d : F.pad(d, { pads });
}
