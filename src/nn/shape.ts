/**
 * Shapes of graph values: dimensions are numbers, or strings for symbolic sizes (a batch dimension `'N'`).
 * Broadcasting follows ONNX's multidirectional (numpy) rule.
 */
import { MultiraterError } from '../errors.ts';

/** One dimension: a size, or a name for a size fixed only at run time (e.g. 'N'). */
export type Dim = number | string;
/** A value's dimensions, outermost first. */
export type Shape = readonly Dim[];

/** Element types the engine handles; float32 for data, int64 for indices and shapes, bool for masks. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8';

/** True for float32 and float64, the dtypes that carry gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The shape for messages, e.g. `[N,1,128,128]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** True when every dimension is a number. */
export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Number of elements; throws on symbolic shapes. */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number')
      throw new MultiraterError('shape_error', `shape ${formatShape(shape)} is symbolic; a concrete size is needed`);
    n *= d;
  }
  return n;
}

/** Maps a possibly negative axis to [0, rank). */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw new MultiraterError('shape_error', `${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Numpy broadcast of several shapes; `op` names the operator in the error. */
export function broadcastShapes(op: string, shapes: Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const e = k < 0 ? 1 : s[k];
      if (e === 1) continue;
      if (d === 1 || d === e) d = e;
      else
        throw new MultiraterError(
          'shape_error',
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast (axis ${i}: ${d} vs ${e})`,
        );
    }
    out.push(d);
  }
  return out;
}

/**
 * Axes of `outShape` along which a value of `inShape` was broadcast, split into leading axes the input lacks
 * and axes where the input had size 1. Summing a gradient over both (and reshaping) gives the input's shape.
 */
export function broadcastAxes(inShape: Shape, outShape: Shape): number[] {
  const lead = outShape.length - inShape.length;
  const axes: number[] = [];
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead) axes.push(i);
    else if (inShape[i - lead] === 1 && outShape[i] !== 1) axes.push(i);
  }
  return axes;
}

/** True when both shapes have the same rank and equal dimensions (symbolic ones by name). */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** ONNX TensorProto.DataType code of `dtype`. */
export function onnxDataType(dtype: DType): number {
  return { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 }[dtype];
}
