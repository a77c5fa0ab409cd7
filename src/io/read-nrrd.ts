/**
 * NRRD reader (.nrrd with the data attached, .nhdr with detached data files): raw, gzip, ascii and hex
 * encodings, either byte order, every scalar type (64-bit integers narrowed as in the NIfTI reader).
 *
 * Geometry follows ITK's NrrdImageIO, which 3D Slicer uses: `space directions` give the voxel-to-world columns
 * and `space origin` the translation in the header's space, then the affine is converted to NIfTI's RAS+
 * world. RAS spaces are taken as they are, LAS flips x, and every other space (LPS, scanner-xyz, 3D-handed,
 * an unnamed `space dimension`, or no space at all, where `spacings` give a diagonal) is taken as LPS as ITK
 * does, flipping x and y. One non-spatial axis (a `none` direction: time, list, vector) becomes the 4th axis,
 * moved there when it is stored first (Slicer's multi-layer segmentations).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { unzipSync } from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import { MultiraterError } from '../errors.ts';
import {
  allocate,
  createVolume,
  dtypeOf,
  formatShape,
  voxelCount,
  type Affine,
  type Volume,
  type VoxelArray,
} from '../volume/index.ts';
import { BYTES_PER_VOXEL, decodeVoxels } from './decode-voxels.ts';
import { readFileBytes } from './read-file-bytes.ts';
import { isNrrd, nrrdHeaderEnd, parseNrrdHeader, type NrrdHeader } from './nrrd-header.ts';

/** An NRRD file as {@link readNrrd} returns it: the volume and its parsed header. */
export interface NrrdImage {
  /** Voxels with the grid from the header (spacing and affine in mm, LPS turned into NIfTI's RAS). */
  volume: Volume;
  /** Header fields as read. */
  header: NrrdHeader;
}

/** Reads a NRRD file: `.nrrd` (attached data) or `.nhdr` (header naming its data files). */
export function readNrrd(path: string): NrrdImage {
  return parseNrrd(readFileBytes(path), path, { dataDir: dirname(path) });
}

/** Options of {@link parseNrrd}. */
export interface ParseNrrdOptions {
  /** Folder that detached data file names are relative to; default: detached data are refused. */
  dataDir?: string;
}

/** Parses NRRD bytes; `name` is used in error messages. */
export function parseNrrd(bytes: Uint8Array, name: string, options: ParseNrrdOptions = {}): NrrdImage {
  if (!isNrrd(bytes)) throw new MultiraterError('invalid_nrrd', `${name}: not a NRRD file (no NRRD000x magic line)`);
  const headerEnd = nrrdHeaderEnd(bytes);
  const header = parseNrrdHeader(Buffer.from(bytes.buffer, bytes.byteOffset, headerEnd).toString('latin1'), name);
  const { sizes, type, encoding } = header;
  const bpv = BYTES_PER_VOXEL[type];
  if (encoding === 'bzip2')
    throw new MultiraterError('unsupported_format', `${name}: bzip2-encoded NRRD is not supported (re-save with gzip)`);
  if (header.endian === null && bpv > 1 && (encoding === 'raw' || encoding === 'gzip' || encoding === 'hex')) {
    throw new MultiraterError('invalid_nrrd', `${name}: header has no "endian" field, needed for ${type} data`);
  }
  const n = voxelCount(sizes);
  let data: VoxelArray;
  if (header.dataFiles === null) {
    data = decodeChunk(bytes.subarray(headerEnd), header, n, name);
  } else {
    if (options.dataDir === undefined)
      throw new MultiraterError('invalid_nrrd', `${name}: detached data files need the header's folder`);
    data = readDetached(header, n, name, options.dataDir);
  }
  return { volume: toVolume(header, data, name), header };
}

/** Reads every data file, each holding an equal share of the voxels, into one array. */
function readDetached(header: NrrdHeader, n: number, name: string, dataDir: string): VoxelArray {
  const files = header.dataFiles!;
  if (n % files.length !== 0) {
    throw new MultiraterError(
      'invalid_nrrd',
      `${name}: ${n} voxels do not split evenly over ${files.length} data files`,
    );
  }
  const per = n / files.length;
  if (files.length === 1) return decodeChunk(readFileBytes(resolveDataFile(files[0], dataDir)), header, per, name);
  const parts: VoxelArray[] = [];
  for (const f of files)
    parts.push(decodeChunk(readFileBytes(resolveDataFile(f, dataDir)), header, per, `${name} (${f})`));
  // int64 chunks may narrow differently (int32 or float64); the joined array takes the wider.
  const out = allocate(parts.some((p) => p instanceof Float64Array) ? 'float64' : dtypeOf(parts[0]), n);
  parts.forEach((p, i) => out.set(p, i * per));
  return out;
}

function resolveDataFile(file: string, dataDir: string): string {
  return isAbsolute(file) ? file : resolve(dataDir, file);
}

/** Decodes the `n` voxels of one data chunk (the bytes after an attached header, or one detached file). */
function decodeChunk(chunk: Uint8Array, header: NrrdHeader, n: number, name: string): VoxelArray {
  const { type, encoding } = header;
  const bpv = BYTES_PER_VOXEL[type];
  const little = header.endian !== 'big';
  const body = chunk.subarray(skipLines(chunk, header.lineSkip, name));
  const need = n * bpv;
  const short = (have: number, what: string) =>
    new MultiraterError(
      'size_mismatch',
      `${name}: header says ${formatShape(header.sizes)} ${type} (${need} bytes), ${what} ${have}`,
    );
  if (encoding === 'ascii') return decodeAscii(body, header, n, name);
  let raw: Uint8Array;
  let offset: number;
  if (encoding === 'raw') {
    if (header.byteSkip === -1) {
      if (body.length < need) throw short(body.length, 'file has');
      offset = body.length - need;
    } else {
      offset = header.byteSkip;
      if (body.length - offset < need) throw short(Math.max(0, body.length - offset), 'file has');
    }
    raw = body;
  } else if (encoding === 'gzip') {
    raw = inflate(body, header.byteSkip + need, name);
    offset = header.byteSkip;
    if (raw.length - offset < need) throw short(Math.max(0, raw.length - offset), 'gzip data hold');
  } else {
    raw = decodeHex(body, header.byteSkip + need, name);
    offset = header.byteSkip;
    if (raw.length - offset < need) throw short(Math.max(0, raw.length - offset), 'hex data hold');
  }
  return decodeVoxels(raw, offset, n, type, little);
}

function skipLines(bytes: Uint8Array, lines: number, name: string): number {
  let at = 0;
  for (let l = 0; l < lines; l++) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) throw new MultiraterError('truncated', `${name}: line skip ${lines} passes the end of the data`);
    at = nl + 1;
  }
  return at;
}

/** gunzip (or zlib) of at most `limit` bytes: the header's claim bounds the allocation, and so do the bytes. */
function inflate(body: Uint8Array, limit: number, name: string): Uint8Array {
  try {
    return unzipSync(body, { maxOutputLength: Math.max(1, Math.min(limit, bufferConstants.MAX_LENGTH)) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MultiraterError(
        'size_mismatch',
        `${name}: gzip data hold more than the ${limit} bytes the header declares`,
      );
    }
    const what = /unexpected end/i.test(String(e))
      ? 'truncated gzip stream'
      : `corrupt gzip stream (${(e as Error).message})`;
    throw new MultiraterError('truncated', `${name}: ${what}`);
  }
}

function decodeHex(body: Uint8Array, limit: number, name: string): Uint8Array {
  let digits = 0;
  for (let i = 0; i < body.length && digits < 2 * limit; i++) if (hexValue(body[i]) >= 0) digits++;
  const out = new Uint8Array(digits >> 1);
  let d = 0;
  for (let i = 0; i < body.length && d < 2 * out.length; i++) {
    const c = body[i];
    const v = hexValue(c);
    if (v >= 0) {
      if (d & 1) out[d >> 1] |= v;
      else out[d >> 1] = v << 4;
      d++;
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      throw new MultiraterError(
        'invalid_nrrd',
        `${name}: hex data hold a byte 0x${c.toString(16)} that is not a hex digit`,
      );
    }
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Whitespace- or comma-separated numbers; values are stored in the header's type (64-bit ints as float64). */
function decodeAscii(body: Uint8Array, header: NrrdHeader, n: number, name: string): VoxelArray {
  // Every number needs a digit and a separator, so a claim beyond that is refused before allocating.
  if (n > (body.length + 1) / 2) {
    throw new MultiraterError(
      'size_mismatch',
      `${name}: header says ${formatShape(header.sizes)} voxels, the ascii data hold at most ${Math.floor((body.length + 1) / 2)}`,
    );
  }
  const dtype = header.type === 'int64' || header.type === 'uint64' ? 'float64' : header.type;
  const out = allocate(dtype, n);
  const text = Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1');
  const re = /[^\s,]+/g;
  let count = 0;
  for (let m = re.exec(text); m && count < n; m = re.exec(text)) {
    const v = Number(m[0]);
    if (Number.isNaN(v) && m[0].toLowerCase() !== 'nan') {
      throw new MultiraterError('invalid_nrrd', `${name}: ascii value "${m[0].slice(0, 20)}" is not a number`);
    }
    out[count++] = v;
  }
  if (count < n)
    throw new MultiraterError('size_mismatch', `${name}: header says ${n} voxels, the ascii data hold ${count}`);
  return out;
}

/** Shape, spacing and RAS affine from the header; moves a non-spatial axis last. */
function toVolume(header: NrrdHeader, data: VoxelArray, name: string): Volume {
  const { sizes } = header;
  const dims = sizes.length;
  const spatialOf = (a: number): boolean => {
    if (header.spaceDirections) {
      const d = header.spaceDirections[a];
      return d !== null && Math.hypot(d[0] ?? 0, d[1] ?? 0, d[2] ?? 0) > 0;
    }
    const kind = header.kinds?.[a];
    return kind === undefined || kind === 'domain' || kind === 'space' || kind === '???' || kind === 'none';
  };
  const spatial: number[] = [];
  const other: number[] = [];
  for (let a = 0; a < dims; a++) (spatialOf(a) ? spatial : other).push(a);
  // Singleton non-spatial axes carry no data; drop them.
  const extra = other.filter((a) => sizes[a] > 1);
  if (spatial.length === 0 || spatial.length > 3 || extra.length > 1) {
    throw new MultiraterError(
      'unsupported_format',
      `${name}: ${spatial.length} spatial and ${extra.length} other axes (sizes ${formatShape(sizes)}); at most 3 + 1 are supported`,
    );
  }
  const columns: number[][] = [];
  const spacing: number[] = [];
  for (const a of spatial) {
    const d = header.spaceDirections?.[a];
    const col = d ? [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0] : axisColumn(header, a, columns.length);
    const step = Math.hypot(col[0], col[1], col[2]);
    if (!Number.isFinite(step))
      throw new MultiraterError('invalid_nrrd', `${name}: axis ${a} has a step too large to represent`);
    columns.push(col);
    spacing.push(step);
  }
  const origin = header.spaceOrigin
    ? [header.spaceOrigin[0] ?? 0, header.spaceOrigin[1] ?? 0, header.spaceOrigin[2] ?? 0]
    : [0, 0, 0];
  const affine = rasAffine(header.space, columns, origin);
  let shape = spatial.map((a) => sizes[a]);
  let values = data;
  if (extra.length === 1) {
    const t = extra[0];
    while (shape.length < 3) {
      shape.push(1);
      spacing.push(1);
    }
    shape = [...shape, sizes[t]];
    spacing.push(otherSpacing(header, t));
    if (t < dims - 1 && sizes.slice(t + 1).some((s) => s > 1)) values = moveAxisLast(data, sizes, t);
  }
  return createVolume(shape, values, { spacing, affine });
}

/** World column of an axis without space directions: `spacings` (default 1) along the next world axis. */
function axisColumn(header: NrrdHeader, axis: number, index: number): number[] {
  const s = header.spacings?.[axis];
  const col = [0, 0, 0];
  col[index] = s !== undefined && Number.isFinite(s) && s !== 0 ? Math.abs(s) : 1;
  return col;
}

function otherSpacing(header: NrrdHeader, axis: number): number {
  const s = header.spacings?.[axis];
  if (s !== undefined && Number.isFinite(s) && s > 0) return s;
  const t = header.spaceDirections?.[axis]?.[3];
  return t !== undefined && t !== 0 ? Math.abs(t) : 1;
}

/** The 4×4 RAS+ affine from header-space columns and origin (missing columns completed orthogonally). */
function rasAffine(space: string | null, columns: number[][], origin: number[]): Affine {
  const cols = columns.map((c) => [...c]);
  if (cols.length === 2) {
    const [u, v] = cols;
    const w = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const len = Math.hypot(w[0], w[1], w[2]);
    cols.push(len > 0 ? w.map((x) => x / len) : [0, 0, 1]);
  }
  while (cols.length < 3) cols.push(cols.length === 1 ? [0, 1, 0] : [0, 0, 1]);
  const ras = space !== null && space.startsWith('right-anterior-superior');
  const las = space !== null && space.startsWith('left-anterior-superior');
  const flip = ras ? [1, 1, 1] : las ? [-1, 1, 1] : [-1, -1, 1];
  const affine: Affine = [0, 1, 2].map((r) => [
    cols[0][r] * flip[r],
    cols[1][r] * flip[r],
    cols[2][r] * flip[r],
    origin[r] * flip[r],
  ]);
  affine.push([0, 0, 0, 1]);
  return affine.map((row) => row.map((v) => (v === 0 ? 0 : v)));
}

/** Copies `data` (axes `sizes`, fastest first) with axis `t` moved to the end. */
function moveAxisLast(data: VoxelArray, sizes: number[], t: number): VoxelArray {
  const before = voxelCount(sizes.slice(0, t));
  const after = voxelCount(sizes.slice(t + 1));
  const nt = sizes[t];
  const out = allocate(dtypeOf(data), data.length);
  for (let b = 0; b < after; b++) {
    for (let x = 0; x < nt; x++) {
      const src = (b * nt + x) * before;
      out.set(data.subarray(src, src + before), (x * after + b) * before);
    }
  }
  return out;
}
