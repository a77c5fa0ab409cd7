/** Host tensors: a typed array with its dtype and shape, row-major (C order), as fed to and fetched from a session. */
import type { DType } from './shape.ts';

export type TypedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface TensorData {
  readonly dtype: DType;
  readonly shape: readonly number[];
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
