/**
 * NIfTI writer (nibabel has one; no npm package does). Writes a single-file NIfTI-1 (.nii, or .nii.gz when the
 * name ends in .gz), or NIfTI-2 when a dimension exceeds NIfTI-1's int16 limit or `version: 2` is asked for.
 * The affine goes to the sform (code 2, aligned) and, when it has no shear, also to the qform (code 1, scanner),
 * so readers that honour only one of the two agree.
 */
import { constants, gzipSync } from 'node:zlib';
import { MultiraterError } from '../errors.ts';
import type { Volume } from '../volume/index.ts';
import { affineToQuaternion } from './nifti-affine.ts';
import { BYTES_PER_VOXEL } from './decode-voxels.ts';
import { NIFTI_CODE } from './nifti-datatype.ts';
import { NIFTI_FIELD_BYTES, NIFTI_HEADER_LAYOUT, type NiftiField, type NiftiFieldName } from './nifti-header-layout.ts';
import { writeFileAtomic } from './atomic-write.ts';

/** Options of {@link writeNifti} and {@link encodeNifti}: NIfTI version, compression, header fields. */
export interface WriteNiftiOptions {
  /** NIfTI version; default 1, or 2 when a dimension exceeds 32767. */
  version?: 1 | 2;
  /** gzip the output; default: when the path ends in `.gz`. */
  gzip?: boolean;
  /** gzip level 1–9; default 1, as nibabel (4× faster than 6; label maps grow a little, images hardly). */
  level?: number;
  /**
   * Deflate strategy: 'default' (LZ77 matches + Huffman), 'rle' (matches of runs only: fast, and small for label
   * maps), 'huffman' (no matches: about twice as fast on noisy images, whose matches are rare, for 2–3 % more bytes).
   */
  strategy?: 'default' | 'rle' | 'huffman';
  /** Header description, at most 80 characters. */
  description?: string;
  /** Spatial unit code in xyzt_units; default 2 (mm), with 8 (s) for the time axis of 4D volumes. */
  xyztUnits?: number;
}

/** Encodes `volume` as NIfTI bytes (uncompressed). */
export function encodeNifti(volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const { shape, spacing, affine, dtype, data } = volume;
  const version = options.version ?? (shape.some((s) => s > 32767) ? 2 : 1);
  if (version === 1 && shape.some((s) => s > 32767)) {
    throw new MultiraterError(
      'invalid_argument',
      `shape ${shape.join('×')} exceeds NIfTI-1's 32767 per axis; write NIfTI-2`,
    );
  }
  const layout = NIFTI_HEADER_LAYOUT[version];
  const offset = layout.size + 4; // 4 bytes of extension flags (none)
  const bpv = BYTES_PER_VOXEL[dtype];
  const out = new Uint8Array(offset + data.length * bpv);
  const v = new DataView(out.buffer);
  const put = (name: NiftiFieldName, values: readonly number[]) => setField(v, layout.fields[name], values);
  const q = affineToQuaternion(affine);
  put('sizeof_hdr', [layout.size]);
  writeAscii(out, layout.magic.offset, layout.magic.text, layout.magic.text.length);
  put('datatype', [NIFTI_CODE[dtype]]);
  put('bitpix', [bpv * 8]);
  put('dim', [shape.length, ...shape, 1, 1, 1, 1, 1, 1, 1].slice(0, 8));
  put('pixdim', [q && q.q.qfac < 0 ? -1 : 1, ...spacing, 1, 1, 1, 1, 1, 1, 1].slice(0, 8));
  put('vox_offset', [offset]);
  put('scl_slope', [1]);
  put('scl_inter', [0]);
  put('xyzt_units', [options.xyztUnits ?? (shape.length > 3 ? 2 | 8 : 2)]);
  writeAscii(out, layout.descrip, (options.description ?? 'multirater').slice(0, 79), 80);
  put('qform_code', [q ? 1 : 0]);
  put('sform_code', [2]);
  if (q) put('quatern', [q.q.b, q.q.c, q.q.d, q.q.qx, q.q.qy, q.q.qz]);
  put('srow', affine.slice(0, 3).flat());
  // Voxels: typed arrays are little-endian on every platform Node runs on.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
  return out;
}

/** Writes `volume` to `path` (.nii or .nii.gz) atomically. */
export function writeNifti(path: string, volume: Volume, options: WriteNiftiOptions = {}): void {
  const raw = encodeNifti(volume, options);
  const gzip = options.gzip ?? path.endsWith('.gz');
  writeFileAtomic(
    path,
    gzip ? gzipSync(raw, { level: options.level ?? 1, strategy: STRATEGY[options.strategy ?? 'default'] }) : raw,
  );
}

const STRATEGY = {
  default: constants.Z_DEFAULT_STRATEGY,
  rle: constants.Z_RLE,
  huffman: constants.Z_HUFFMAN_ONLY,
} as const;

/** Writes `values` as the elements of header field `f`, little-endian. */
function setField(v: DataView, f: NiftiField, values: readonly number[]): void {
  values.forEach((x, i) => {
    const at = f.offset + i * NIFTI_FIELD_BYTES[f.kind];
    if (f.kind === 'u8') v.setUint8(at, x);
    else if (f.kind === 'i16') v.setInt16(at, x, true);
    else if (f.kind === 'i32') v.setInt32(at, x, true);
    else if (f.kind === 'i64') v.setBigInt64(at, BigInt(x), true);
    else if (f.kind === 'f32') v.setFloat32(at, x, true);
    else v.setFloat64(at, x, true);
  });
}

function writeAscii(out: Uint8Array, at: number, text: string, max: number): void {
  for (let i = 0; i < Math.min(text.length, max); i++) out[at + i] = text.charCodeAt(i) & 0x7f;
}
