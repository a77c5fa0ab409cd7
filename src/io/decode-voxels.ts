/**
 * Turns a run of stored voxel bytes into a typed array, for the NIfTI and NRRD readers. Callers check that the
 * bytes are there before calling, so nothing is allocated beyond what the file holds. 64-bit integers (nibabel
 * writes int arrays as int64) narrow to int32 when every value fits, else become float64.
 */
import { allocate, type DType, type VoxelArray } from '../volume/index.ts';

/** A stored voxel type: our dtypes plus the 64-bit integers, which are narrowed on load. */
export type StoredDType = DType | 'int64' | 'uint64';

/** Storage size of one voxel per stored type, bytes. */
export const BYTES_PER_VOXEL: Record<StoredDType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
  int64: 8,
  uint64: 8,
};

/** Copies `n` voxels of `dtype` starting at byte `offset` of `bytes` into a fresh typed array. */
export function decodeVoxels(
  bytes: Uint8Array,
  offset: number,
  n: number,
  dtype: StoredDType,
  little: boolean,
): VoxelArray {
  if (dtype === 'int64' || dtype === 'uint64') return decodeInt64(bytes, offset, n, dtype === 'int64', little);
  const bpv = BYTES_PER_VOXEL[dtype];
  const out = allocate(dtype, n);
  const outBytes = new Uint8Array(out.buffer);
  outBytes.set(bytes.subarray(offset, offset + n * bpv));
  // Typed arrays are little-endian on every platform Node runs on.
  if (!little && bpv > 1) {
    for (let i = 0; i < outBytes.length; i += bpv) {
      for (let a = i, b = i + bpv - 1; a < b; a++, b--) {
        const t = outBytes[a];
        outBytes[a] = outBytes[b];
        outBytes[b] = t;
      }
    }
  }
  return out;
}

function decodeInt64(bytes: Uint8Array, offset: number, n: number, signed: boolean, little: boolean): VoxelArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * 8);
  const wide = new Float64Array(n);
  let fits = true;
  for (let i = 0; i < n; i++) {
    const v = Number(signed ? view.getBigInt64(i * 8, little) : view.getBigUint64(i * 8, little));
    wide[i] = v;
    if (v < -2147483648 || v > 2147483647) fits = false;
  }
  return fits ? Int32Array.from(wide) : wide;
}
