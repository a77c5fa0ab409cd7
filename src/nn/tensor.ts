/** Host tensors: a typed array with its dtype and shape, row-major (C order), as fed to and fetched from a session. */
import type { DType } from './shape.ts';

/** The typed arrays a tensor's elements live in (bool and uint8 both in Uint8Array). */
export type TypedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** A host tensor (see the file comment). */
export interface TensorData {
  /** Element type; `data` must be its array type (float32 → Float32Array, int64 → BigInt64Array, …). */
  readonly dtype: DType;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** The elements in row-major order, as many as the product of `shape`. */
  readonly data: TypedData;
}

/** A float32 tensor over `data` (not copied). */
export function float32(data: Float32Array | number[], shape: readonly number[]): TensorData {
  return { dtype: 'float32', shape: [...shape], data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

/** An int64 tensor from numbers. */
export function int64(data: ArrayLike<number>, shape: readonly number[]): TensorData {
  return { dtype: 'int64', shape: [...shape], data: BigInt64Array.from(Array.from(data, (x) => BigInt(x))) };
}
