/**
 * NIfTI-1 and NIfTI-2 reader (.nii, .nii.gz). Header fields come from `nifti-reader-js`; the checks, the affine
 * (nibabel's sform > qform > pixdim precedence), scaling and the voxel decoding are ours. Every problem becomes
 * a one-line `MultiraterError` naming the file, and nothing is allocated beyond what the file's bytes justify.
 */
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { MultiraterError } from '../errors.ts';
import { createVolume, voxelCount, type Affine, type DType, type Volume, type VoxelArray } from '../volume/index.ts';
import { BYTES_PER_VOXEL, decodeVoxels } from './decode-voxels.ts';
import { quaternionToAffine } from './nifti-affine.ts';
import { dtypeForNiftiCode, niftiCodeName } from './nifti-datatype.ts';
import { readFileBytes } from './read-file-bytes.ts';

/** Header facts a caller may need beyond the Volume. */
export interface NiftiHeaderInfo {
  /** 1 or 2. */
  version: 1 | 2;
  /** dtype stored in the file (before scaling). */
  fileDType: DType | 'int64' | 'uint64';
  /** scl_slope / scl_inter as stored (slope 0 or NaN = no scaling). */
  sclSlope: number;
  /** Intercept added after scl_slope (as stored). */
  sclInter: number;
  /** qform_code: what the quaternion form maps to (0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI). */
  qformCode: number;
  /** sform_code: what the affine rows map to (same codes as qform_code). */
  sformCode: number;
  /** xyzt_units byte. */
  xyztUnits: number;
  /** intent_code: what the voxel values mean (0 none, 1002 label, …). */
  intentCode: number;
  /** The header's description field (descrip, at most 80 characters). */
  description: string;
}

/** A NIfTI file as {@link readNifti} returns it: the volume and the header fields kept. */
export interface NiftiImage {
  /** Voxels after scl_slope/scl_inter (float when scaling applies), geometry from the header. */
  volume: Volume;
  /** Header fields as stored. */
  header: NiftiHeaderInfo;
}

const MAX_DIM = 4;

/** Reads a file's bytes, gunzipping when the content starts with the gzip magic. */
export function readMaybeGzip(path: string): Uint8Array {
  const bytes = readFileBytes(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { chunkSize: gunzipChunkSize(bytes) });
    } catch (e) {
      const what = /unexpected end/i.test(String(e))
        ? 'truncated gzip stream'
        : `corrupt gzip stream (${(e as Error).message})`;
      throw new MultiraterError('truncated', `${path}: ${what}`);
    }
  }
  return bytes;
}

/**
 * zlib's output chunk for a gzip stream: the size its trailer states (ISIZE, the last member's length mod 2³²) when
 * deflate could produce that much from these bytes (at most ~1032:1), so a whole image inflates into one buffer
 * with no concatenation (7 instead of 16 ms for an 8 MB volume); else zlib's default. A wrong ISIZE (several
 * members, ≥ 4 GiB) only costs the copies it would have saved.
 */
function gunzipChunkSize(gz: Uint8Array): number | undefined {
  const n = gz.length;
  if (n < 18) return undefined;
  const stated = (gz[n - 4] | (gz[n - 3] << 8) | (gz[n - 2] << 16) | (gz[n - 1] << 24)) >>> 0;
  return stated >= 64 && stated <= 1032 * n + 1024 ? stated : undefined;
}

/** Reads a NIfTI-1/2 file (.nii or .nii.gz). */
export function readNifti(path: string): NiftiImage {
  return parseNifti(readMaybeGzip(path), path);
}

/** Parses NIfTI bytes (already gunzipped); `name` is used in error messages. */
export function parseNifti(bytes: Uint8Array, name: string): NiftiImage {
  const fail = (
    code: 'invalid_nifti' | 'size_mismatch' | 'unsupported_datatype' | 'dimension_mismatch',
    what: string,
  ) => new MultiraterError(code, `${name}: ${what}`);
  if (bytes.length < 348) throw fail('invalid_nifti', `not a NIfTI file (${bytes.length} bytes, a header needs 348)`);
  // nifti-reader-js takes an ArrayBuffer and only reads it: the bytes' own when they span it, else a copy.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = (
    whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  ) as ArrayBuffer;
  const isV2 = bytes.length >= 540 && nifti.isNIFTI2(buffer);
  if (!isV2 && !nifti.isNIFTI1(buffer)) throw fail('invalid_nifti', 'not a NIfTI-1 or NIfTI-2 file (bad magic)');
  let h: nifti.NIFTI1 | nifti.NIFTI2;
  try {
    h = nifti.readHeader(buffer) as nifti.NIFTI1 | nifti.NIFTI2;
  } catch (e) {
    throw fail('invalid_nifti', `unreadable header (${(e as Error).message})`);
  }
  const ndim = h.dims[0];
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7) throw fail('invalid_nifti', `dim[0] = ${ndim}, expected 1–7`);
  const dims = h.dims.slice(1, ndim + 1);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1))
    throw fail('invalid_nifti', `invalid dimensions ${dims.join('×')}`);
  let shape = dims;
  while (shape.length > MAX_DIM && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  if (shape.length > MAX_DIM)
    throw fail('dimension_mismatch', `${shape.length}D image (${shape.join('×')}), at most 4D is supported`);
  const fileDType = dtypeForNiftiCode(h.datatypeCode);
  if (!fileDType) throw fail('unsupported_datatype', `unsupported datatype ${niftiCodeName(h.datatypeCode)}`);
  const bpv = BYTES_PER_VOXEL[fileDType];
  if (h.numBitsPerVoxel !== bpv * 8) {
    throw fail('invalid_nifti', `bitpix ${h.numBitsPerVoxel} disagrees with datatype ${fileDType} (${bpv * 8})`);
  }
  const headerSize = isV2 ? 540 : 348;
  const offset = Number(h.vox_offset);
  if (!Number.isSafeInteger(offset) || offset < headerSize)
    throw fail('invalid_nifti', `vox_offset ${h.vox_offset} is before the end of the header`);
  const n = voxelCount(shape);
  const need = n * bpv;
  if (offset + need > bytes.length) {
    throw fail(
      'size_mismatch',
      `header says ${shape.join('×')} ${fileDType} (${need} bytes from offset ${offset}), file has ${Math.max(0, bytes.length - offset)}`,
    );
  }
  const spacing = shape.map((_, i) => {
    const p = Math.abs(h.pixDims[i + 1]);
    return Number.isFinite(p) && p > 0 ? p : 1;
  });
  const affine = headerAffine(h, bytes, isV2, spacing);
  if (affine.some((row) => row.some((v) => !Number.isFinite(v))))
    throw fail('invalid_nifti', 'affine has non-finite entries');
  const raw = decodeVoxels(bytes, offset, n, fileDType, h.littleEndian);
  const slope = h.scl_slope;
  const inter = Number.isFinite(h.scl_inter) ? h.scl_inter : 0;
  const scaled = Number.isFinite(slope) && slope !== 0 && (slope !== 1 || inter !== 0);
  const data = scaled ? applyScaling(raw, slope, inter) : raw;
  return {
    volume: createVolume(shape, data, { spacing, affine }),
    header: {
      version: isV2 ? 2 : 1,
      fileDType,
      sclSlope: slope,
      sclInter: h.scl_inter,
      qformCode: h.qform_code,
      sformCode: h.sform_code,
      xyztUnits: h.xyzt_units,
      intentCode: h.intent_code,
      description: h.description,
    },
  };
}

function headerAffine(h: nifti.NIFTI1 | nifti.NIFTI2, bytes: Uint8Array, isV2: boolean, spacing: number[]): Affine {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (h.sform_code > 0) {
    const rows: Affine = [];
    for (let r = 0; r < 3; r++) {
      const row: number[] = [];
      for (let c = 0; c < 4; c++) {
        row.push(
          isV2
            ? view.getFloat64(400 + (r * 4 + c) * 8, h.littleEndian)
            : view.getFloat32(280 + (r * 4 + c) * 4, h.littleEndian),
        );
      }
      rows.push(row);
    }
    rows.push([0, 0, 0, 1]);
    return rows;
  }
  const pix = [spacing[0] ?? 1, spacing[1] ?? 1, spacing[2] ?? 1];
  if (h.qform_code > 0) {
    const qfac = h.pixDims[0] < 0 ? -1 : 1;
    return quaternionToAffine(
      { b: h.quatern_b, c: h.quatern_c, d: h.quatern_d, qx: h.qoffset_x, qy: h.qoffset_y, qz: h.qoffset_z, qfac },
      pix,
    );
  }
  return [
    [pix[0], 0, 0, 0],
    [0, pix[1], 0, 0],
    [0, 0, pix[2], 0],
    [0, 0, 0, 1],
  ];
}

function applyScaling(raw: VoxelArray, slope: number, inter: number): VoxelArray {
  const narrow =
    raw instanceof Uint8Array ||
    raw instanceof Int8Array ||
    raw instanceof Uint16Array ||
    raw instanceof Int16Array ||
    raw instanceof Float32Array;
  const out = narrow ? new Float32Array(raw.length) : new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] * slope + inter;
  return out;
}
