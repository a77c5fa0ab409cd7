/** NIfTI datatype codes ↔ our dtypes (nifti1.h `NIFTI_TYPE_*`). int64/uint64 are read, narrowed on load. */
import type { DType } from '../volume/index.ts';

/** NIfTI `datatype` code of each of our dtypes, read and written (nifti1.h `NIFTI_TYPE_UINT8` = 2, …). */
export const NIFTI_CODE: Record<DType, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
};

/** nifti1.h `NIFTI_TYPE_INT64`: read (narrowed on load), never written. */
export const NIFTI_INT64 = 1024;
/** nifti1.h `NIFTI_TYPE_UINT64`: read (narrowed on load), never written. */
export const NIFTI_UINT64 = 1280;

const BY_CODE = new Map<number, DType>(Object.entries(NIFTI_CODE).map(([d, c]) => [c, d as DType]));

/** Our dtype for a NIfTI datatype code, `'int64'`/`'uint64'` for the 64-bit integers, or undefined. */
export function dtypeForNiftiCode(code: number): DType | 'int64' | 'uint64' | undefined {
  if (code === NIFTI_INT64) return 'int64';
  if (code === NIFTI_UINT64) return 'uint64';
  return BY_CODE.get(code);
}

/** NIfTI names used in messages (nibabel's spelling). */
export function niftiCodeName(code: number): string {
  const names: Record<number, string> = {
    1: 'binary',
    32: 'complex64',
    128: 'RGB24',
    1536: 'float128',
    1792: 'complex128',
    2048: 'complex256',
    2304: 'RGBA32',
  };
  return dtypeForNiftiCode(code) ?? names[code] ?? `code ${code}`;
}
