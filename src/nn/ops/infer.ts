/** Shared pieces of shape inference: attribute readers, shape errors and the common output-type rules. */
import { MultiraterError } from '../../errors.ts';
import { broadcastShapes, formatShape, type DType } from '../shape.ts';
import type { Attrs, ValueType } from './types.ts';

/** A `shape_error` naming the op, what is wrong and every input's shape (∅ for an omitted input). */
export function shapeError(op: string, inputs: readonly (ValueType | null)[], what: string): MultiraterError {
  const shapes = inputs.map((t) => (t === null ? '∅' : formatShape(t.shape))).join(', ');
  return new MultiraterError('shape_error', `${op}: ${what} (input shapes ${shapes})`);
}

/** Attribute `name` as a number (else `fallback`); `invalid_argument` when missing or not a number. */
export function intAttr(attrs: Attrs, name: string, fallback?: number): number {
  const v = attrs[name] ?? fallback;
  if (typeof v !== 'number') throw new MultiraterError('invalid_argument', `attribute '${name}' must be a number`);
  return v;
}

/** `intAttr` for float attributes (the engine keeps both as numbers; only ONNX export tells them apart). */
export function floatAttr(attrs: Attrs, name: string, fallback?: number): number {
  return intAttr(attrs, name, fallback);
}

/** Attribute `name` as a number list (else `fallback`); `invalid_argument` when missing or not a list. */
export function intsAttr(attrs: Attrs, name: string, fallback?: readonly number[]): readonly number[] {
  const v = attrs[name] ?? fallback;
  if (!Array.isArray(v)) throw new MultiraterError('invalid_argument', `attribute '${name}' must be a list of numbers`);
  return v as readonly number[];
}

/** Attribute `name` as a string (else `fallback`); `invalid_argument` when missing or not a string. */
export function stringAttr(attrs: Attrs, name: string, fallback?: string): string {
  const v = attrs[name] ?? fallback;
  if (typeof v !== 'string') throw new MultiraterError('invalid_argument', `attribute '${name}' must be a string`);
  return v;
}

/** The non-null input `i`, or a shape error naming the op. */
export function need(op: string, inputs: readonly (ValueType | null)[], i: number): ValueType {
  const t = inputs[i];
  if (t === undefined || t === null) throw shapeError(op, inputs, `input ${i} is required`);
  return t;
}

/** Output = the first input's type. */
export function sameAsFirst(op: string) {
  return (inputs: readonly (ValueType | null)[]): ValueType[] => [need(op, inputs, 0)];
}

/** Output = the broadcast of all inputs, with the first input's dtype (or `dtype` when given). */
export function broadcasting(op: string, dtype?: DType) {
  return (inputs: readonly (ValueType | null)[]): ValueType[] => {
    const ts = inputs.filter((t): t is ValueType => t !== null);
    const d = ts[0].dtype;
    for (const t of ts)
      if (dtype === undefined && t.dtype !== d)
        throw shapeError(op, inputs, `dtypes differ (${ts.map((x) => x.dtype).join(', ')})`);
    try {
      return [
        {
          dtype: dtype ?? d,
          shape: broadcastShapes(
            op,
            ts.map((t) => t.shape),
          ),
        },
      ];
    } catch {
      throw shapeError(op, inputs, 'shapes do not broadcast');
    }
  };
}
