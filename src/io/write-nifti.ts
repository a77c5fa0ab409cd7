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
  const headerSize = version === 1 ? 348 : 540;
  const offset = headerSize + 4; // 4 bytes of extension flags (none)
  const bpv = BYTES_PER_VOXEL[dtype];
  const out = new Uint8Array(offset + data.length * bpv);
  const v = new DataView(out.buffer);
  const le = true;
  const dim = [shape.length, ...shape, 1, 1, 1, 1, 1, 1, 1].slice(0, 8);
  const q = affineToQuaternion(affine);
  const pixdim = [q && q.q.qfac < 0 ? -1 : 1, ...spacing, 1, 1, 1, 1, 1, 1, 1].slice(0, 8);
  const units = options.xyztUnits ?? (shape.length > 3 ? 2 | 8 : 2);
  const desc = (options.description ?? 'multirater').slice(0, 79);
  if (version === 1) {
    v.setInt32(0, 348, le);
    dim.forEach((d, i) => v.setInt16(40 + 2 * i, d, le));
    v.setInt16(70, NIFTI_CODE[dtype], le);
    v.setInt16(72, bpv * 8, le);
    pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, le));
    v.setFloat32(108, offset, le);
    v.setFloat32(112, 1, le); // scl_slope
    v.setFloat32(116, 0, le);
    v.setUint8(123, units);
    writeAscii(out, 148, desc, 80);
    v.setInt16(252, q ? 1 : 0, le);
    v.setInt16(254, 2, le);
    if (q) {
      [q.q.b, q.q.c, q.q.d, q.q.qx, q.q.qy, q.q.qz].forEach((x, i) => v.setFloat32(256 + 4 * i, x, le));
    }
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + (r * 4 + c) * 4, affine[r][c], le);
    writeAscii(out, 344, 'n+1\0', 4);
  } else {
    v.setInt32(0, 540, le);
    writeAscii(out, 4, 'n+2\0\r\n\x1a\n', 8);
    v.setInt16(12, NIFTI_CODE[dtype], le);
    v.setInt16(14, bpv * 8, le);
    dim.forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), le));
    pixdim.forEach((p, i) => v.setFloat64(104 + 8 * i, p, le));
    v.setBigInt64(168, BigInt(offset), le);
    v.setFloat64(176, 1, le);
    v.setFloat64(184, 0, le);
    writeAscii(out, 240, desc, 80);
    v.setInt32(344, q ? 1 : 0, le);
    v.setInt32(348, 2, le);
    if (q) {
      [q.q.b, q.q.c, q.q.d, q.q.qx, q.q.qy, q.q.qz].forEach((x, i) => v.setFloat64(352 + 8 * i, x, le));
    }
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat64(400 + (r * 4 + c) * 8, affine[r][c], le);
    v.setInt32(500, units, le);
  }
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

function writeAscii(out: Uint8Array, at: number, text: string, max: number): void {
  for (let i = 0; i < Math.min(text.length, max); i++) out[at + i] = text.charCodeAt(i) & 0x7f;
}
