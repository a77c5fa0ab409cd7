/**
 * `Volume`: a typed voxel array with its geometry, as a plain serialisable struct (itk-wasm's Image).
 * Voxel order is the NIfTI file's: i fastest, then j, k, t. `spacing` is in mm (4th axis: the file's unit);
 * `affine` is the 4×4 voxel-to-world matrix (row-major array of rows), world in mm (RAS+ as NIfTI).
 */
import { MultiraterError } from '../errors.ts';

/** Voxel data types a {@link Volume} can hold (NIfTI's integer and float types up to 32 bits, and float64). */
export type DType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The typed array behind a {@link Volume}, one per {@link DType}. */
export type VoxelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** 4×4 matrix as rows. */
export type Affine = number[][];

/**
 * An image or label map: voxel values in a typed array (i fastest) with the grid they sit on (shape, spacing in mm,
 * voxel-to-world affine); a plain serialisable struct, like itk-wasm's Image.
 */
export interface Volume<T extends VoxelArray = VoxelArray> {
  /** Voxel values, i fastest. */
  data: T;
  /** Voxel data type of `data`. */
  dtype: DType;
  /** Extent per axis, 1–4 axes (i, j, k, t). */
  shape: number[];
  /** Voxel size per axis, in mm (time axis: the file's unit). Same length as `shape`. */
  spacing: number[];
  /** 4×4 voxel-to-world affine in mm, rows. */
  affine: Affine;
}

const CONSTRUCTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Every {@link DType}, in the order uint8, int8, uint16, int16, uint32, int32, float32, float64. */
export const DTYPES = Object.keys(CONSTRUCTORS) as DType[];

/** A new zero-filled typed array of `dtype` with `length` elements. */
export function allocate(dtype: DType, length: number): VoxelArray {
  return new CONSTRUCTORS[dtype](length);
}

/** The dtype name of a typed array. */
export function dtypeOf(data: VoxelArray): DType {
  for (const d of DTYPES) if (data instanceof CONSTRUCTORS[d]) return d;
  throw new MultiraterError('unsupported_datatype', `unsupported voxel array ${Object.prototype.toString.call(data)}`);
}

/** True for the integer dtypes (label maps). */
export function isIntegerDType(dtype: DType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

/** Product of the shape. */
export function voxelCount(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Diagonal affine for `spacing` with the origin at `origin` (mm). */
export function diagonalAffine(spacing: readonly number[], origin: readonly number[] = [0, 0, 0]): Affine {
  const s = [spacing[0] ?? 1, spacing[1] ?? 1, spacing[2] ?? 1];
  return [
    [s[0], 0, 0, origin[0] ?? 0],
    [0, s[1], 0, origin[1] ?? 0],
    [0, 0, s[2], origin[2] ?? 0],
    [0, 0, 0, 1],
  ];
}

/** Options of {@link createVolume}: the grid's spacing and affine. */
export interface CreateVolumeOptions {
  /** Voxel size per axis in mm; default 1 on every axis. */
  spacing?: number[];
  /** 4×4 voxel-to-world affine; default diagonal from `spacing`. */
  affine?: Affine;
}

/** Wraps `data` (or allocates zeros of `dtype`) into a Volume, checking the length against `shape`. */
export function createVolume<T extends VoxelArray>(
  shape: number[],
  data: T,
  options: CreateVolumeOptions = {},
): Volume<T> {
  const n = voxelCount(shape);
  if (shape.length < 1 || shape.length > 4 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new MultiraterError('invalid_argument', `volume shape ${shape.join('×')} is not 1–4 positive integers`);
  }
  if (data.length !== n) {
    throw new MultiraterError(
      'size_mismatch',
      `volume data has ${data.length} voxels, shape ${shape.join('×')} needs ${n}`,
    );
  }
  const spacing = options.spacing ? [...options.spacing] : shape.map(() => 1);
  if (spacing.length !== shape.length) {
    throw new MultiraterError('invalid_argument', `spacing has ${spacing.length} entries for a ${shape.length}D shape`);
  }
  const affine = options.affine ? options.affine.map((r) => [...r]) : diagonalAffine(spacing);
  return { data, dtype: dtypeOf(data), shape: [...shape], spacing, affine };
}

/** A zero-filled volume of `dtype` on the same grid as `like` (or of `shape`). */
export function zerosLike<D extends DType>(like: Pick<Volume, 'shape' | 'spacing' | 'affine'>, dtype: D): Volume {
  return createVolume(like.shape, allocate(dtype, voxelCount(like.shape)), {
    spacing: like.spacing,
    affine: like.affine,
  });
}

/** Human-readable shape, e.g. `96×96×10`. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}
