/**
 * NRRD header parsing, after the format definition of teem (https://teem.sourceforge.net/nrrd/format.html,
 * NRRD0001–NRRD0005): a magic line, `field: value` lines, `key:=value` pairs and `#` comments, ended by a blank
 * line when the data follow in the same file. No maintained npm package parses gzip NRRD and detached headers
 * (nrrd-js handles neither), so this one is ours. Values are checked here; geometry is built in `read-nrrd.ts`.
 */
import { MultiraterError } from '../errors.ts';
import type { StoredDType } from './decode-voxels.ts';

/** How an NRRD file's data are stored (its `encoding` field; bzip2 is recognised, then refused). */
export type NrrdEncoding = 'raw' | 'gzip' | 'ascii' | 'hex' | 'bzip2';

/**
 * The fields of an NRRD header that multirater reads, normalised (see the NRRD format,
 * teem.sourceforge.net/nrrd/format.html).
 */
export interface NrrdHeader {
  /** Format version from the magic line (1–5). */
  version: number;
  /** Voxel type as stored. */
  type: StoredDType;
  /** Extent per axis, fastest first (as NIfTI). */
  sizes: number[];
  /** Data encoding. */
  encoding: NrrdEncoding;
  /** Byte order; null when the header does not say (only allowed for 1-byte types and text encodings). */
  endian: 'little' | 'big' | null;
  /** Normalised `space` name (e.g. `left-posterior-superior`), or null. */
  space: string | null;
  /** Number of world coordinates (`space dimension`, or implied by `space`), or null. */
  spaceDimension: number | null;
  /** Per axis: its world step vector (mm), or null for `none`; null when the header has no `space directions`. */
  spaceDirections: (number[] | null)[] | null;
  /** World position of voxel 0 (mm), or null. */
  spaceOrigin: number[] | null;
  /** `spacings` per axis (NaN where the header says nan), or null. */
  spacings: number[] | null;
  /** `kinds` per axis (lower case), or null. */
  kinds: string[] | null;
  /** Detached data files as written in the header (relative to its folder), or null when the data are attached. */
  dataFiles: string[] | null;
  /** Lines to skip before the data (per data file, before decompression). */
  lineSkip: number;
  /** Bytes to skip before the data (after decompression); -1 = the data are the last bytes (raw only). */
  byteSkip: number;
  /** `key:=value` pairs. */
  keyValues: Record<string, string>;
}

const TYPES: [StoredDType, string[]][] = [
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  ['int64', ['longlong', 'long long', 'long long int', 'signed long long', 'signed long long int', 'int64', 'int64_t']],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
];
const TYPE_BY_NAME = new Map(TYPES.flatMap(([t, names]) => names.map((n) => [n, t] as const)));

const ENCODINGS: Record<string, NrrdEncoding> = {
  raw: 'raw',
  txt: 'ascii',
  text: 'ascii',
  ascii: 'ascii',
  hex: 'hex',
  gz: 'gzip',
  gzip: 'gzip',
  bz2: 'bzip2',
  bzip2: 'bzip2',
};

/** Space names, their short forms and their number of world coordinates. */
const SPACES: [string, string, number][] = [
  ['right-anterior-superior', 'ras', 3],
  ['left-anterior-superior', 'las', 3],
  ['left-posterior-superior', 'lps', 3],
  ['right-anterior-superior-time', 'rast', 4],
  ['left-anterior-superior-time', 'last', 4],
  ['left-posterior-superior-time', 'lpst', 4],
  ['scanner-xyz', 'scanner-xyz', 3],
  ['scanner-xyz-time', 'scanner-xyz-time', 4],
  ['3d-right-handed', '3d-right-handed', 3],
  ['3d-left-handed', '3d-left-handed', 3],
  ['3d-right-handed-time', '3d-right-handed-time', 4],
  ['3d-left-handed-time', '3d-left-handed-time', 4],
];

/** Where the header ends: the byte after the blank line that closes it, or the file's end (detached header). */
export function nrrdHeaderEnd(bytes: Uint8Array): number {
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    const blank = i === lineStart || (i === lineStart + 1 && bytes[lineStart] === 0x0d);
    if (blank && lineStart > 0) return i + 1;
    lineStart = i + 1;
  }
  return bytes.length;
}

/** True when `bytes` start with the NRRD magic. */
export function isNrrd(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    String.fromCharCode(...bytes.subarray(0, 4)) === 'NRRD' &&
    /^\d{4}$/.test(String.fromCharCode(...bytes.subarray(4, 8)))
  );
}

/** Parses the header text (everything before the data); `name` is used in error messages. */
export function parseNrrdHeader(text: string, name: string): NrrdHeader {
  const fail = (what: string) => new MultiraterError('invalid_nrrd', `${name}: ${what}`);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const magic = /^NRRD(\d{4})$/.exec(lines[0] ?? '');
  if (!magic) throw fail('not a NRRD file (no NRRD000x magic line)');
  const version = Number(magic[1]);
  const fields = new Map<string, string>();
  const keyValues: Record<string, string> = {};
  let listedFiles: string[] | null = null;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line === '') break;
    if (listedFiles) {
      listedFiles.push(line.trim());
      continue;
    }
    if (line.startsWith('#')) continue;
    const kv = line.indexOf(':=');
    const colon = line.indexOf(':');
    if (kv >= 0 && kv === colon) {
      keyValues[line.slice(0, kv)] = line.slice(kv + 2);
      continue;
    }
    if (colon <= 0) throw fail(`header line ${n + 1} "${clip(line)}" is not "field: value"`);
    const field = line.slice(0, colon).trim().toLowerCase().replace(/\s+/g, ' ');
    const value = line.slice(colon + 1).trim();
    fields.set(field, value);
    if ((field === 'data file' || field === 'datafile') && /^list(\s+\d+)?$/i.test(value)) listedFiles = [];
  }
  const get = (...names: string[]) => {
    for (const f of names) if (fields.has(f)) return fields.get(f)!;
    return undefined;
  };
  const required = (field: string) => {
    const v = get(field);
    if (v === undefined) throw fail(`header has no "${field}" field`);
    return v;
  };

  const typeName = required('type').toLowerCase().replace(/\s+/g, ' ');
  const type = TYPE_BY_NAME.get(typeName);
  if (!type) throw new MultiraterError('unsupported_datatype', `${name}: unsupported NRRD type "${clip(typeName)}"`);
  const dimension = Number(required('dimension'));
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16)
    throw fail(`dimension ${clip(get('dimension')!)} is not 1–16`);
  const sizes = words(required('sizes')).map(Number);
  if (sizes.length !== dimension || sizes.some((s) => !Number.isSafeInteger(s) || s < 1)) {
    throw fail(`sizes "${clip(get('sizes')!)}" are not ${dimension} positive integers`);
  }
  const encodingName = required('encoding').toLowerCase();
  const encoding = ENCODINGS[encodingName];
  if (!encoding) throw fail(`unknown encoding "${clip(encodingName)}"`);
  const endianName = get('endian')?.toLowerCase();
  if (endianName !== undefined && endianName !== 'little' && endianName !== 'big')
    throw fail(`endian "${clip(endianName)}" is not little or big`);
  const endian = (endianName as 'little' | 'big' | undefined) ?? null;

  let space: string | null = null;
  let spaceDimension: number | null = null;
  const spaceName = get('space')?.toLowerCase();
  if (spaceName !== undefined) {
    const known = SPACES.find(([long, short]) => spaceName === long || spaceName === short);
    if (!known) throw fail(`unknown space "${clip(spaceName)}"`);
    [space, , spaceDimension] = known;
  }
  const sd = get('space dimension');
  if (sd !== undefined) {
    const d = Number(sd);
    if (!Number.isInteger(d) || d < 1 || d > 16) throw fail(`space dimension ${clip(sd)} is not 1–16`);
    if (spaceDimension !== null && d !== spaceDimension)
      throw fail(`space dimension ${d} disagrees with space ${space}`);
    spaceDimension = d;
  }

  let spaceDirections: (number[] | null)[] | null = null;
  const sdir = get('space directions');
  if (sdir !== undefined) {
    if (spaceDimension === null) throw fail('space directions without a space or space dimension');
    const tokens = sdir.match(/\([^)]*\)|none/gi) ?? [];
    if (tokens.length !== dimension)
      throw fail(`space directions has ${tokens.length} entries for dimension ${dimension}`);
    spaceDirections = tokens.map((t) =>
      t.toLowerCase() === 'none' ? null : vector(t, spaceDimension!, 'space directions', fail),
    );
  }
  const sorg = get('space origin');
  const spaceOrigin = sorg === undefined ? null : vector(sorg, spaceDimension ?? 3, 'space origin', fail);

  const sp = get('spacings');
  let spacings: number[] | null = null;
  if (sp !== undefined) {
    spacings = words(sp).map((w) => (w.toLowerCase() === 'nan' ? NaN : Number(w)));
    if (spacings.length !== dimension || spacings.some((s) => !Number.isNaN(s) && !Number.isFinite(s))) {
      throw fail(`spacings "${clip(sp)}" are not ${dimension} numbers`);
    }
  }
  const kindsText = get('kinds');
  const kinds = kindsText === undefined ? null : words(kindsText).map((k) => k.toLowerCase());
  if (kinds && kinds.length !== dimension) throw fail(`kinds has ${kinds.length} entries for dimension ${dimension}`);

  const lineSkip = skipField(get('line skip', 'lineskip'), 'line skip', false, fail);
  const byteSkip = skipField(get('byte skip', 'byteskip'), 'byte skip', encoding === 'raw', fail);
  const dataFile = get('data file', 'datafile');
  let dataFiles: string[] | null = null;
  if (dataFile !== undefined) {
    if (listedFiles) dataFiles = listedFiles.filter((f) => f !== '');
    else dataFiles = dataFilePattern(dataFile, fail) ?? [dataFile];
    if (dataFiles.length === 0) throw fail('data file LIST names no file');
  }
  return {
    version,
    type,
    sizes,
    encoding,
    endian,
    space,
    spaceDimension,
    spaceDirections,
    spaceOrigin,
    spacings,
    kinds,
    dataFiles,
    lineSkip,
    byteSkip,
    keyValues,
  };
}

/** `data file: <format> <min> <max> <step> [<subdim>]`: the files a printf-style `%d` pattern names, or null. */
function dataFilePattern(value: string, fail: (what: string) => Error): string[] | null {
  const m = /^(\S*%0?\d*d\S*)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)(\s+\d+)?$/.exec(value);
  if (!m) return null;
  const [min, max, step] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (step === 0 || (max - min) / step < 0 || Math.abs((max - min) / step) > 100_000) {
    throw fail(`data file pattern "${clip(value)}" has an unusable range`);
  }
  const files: string[] = [];
  for (let i = min; step > 0 ? i <= max : i >= max; i += step) {
    files.push(
      m[1].replace(/%(0?)(\d*)d/, (_, zero: string, width: string) =>
        String(i).padStart(Number(width) || 0, zero ? '0' : ' '),
      ),
    );
  }
  return files;
}

function vector(text: string, dims: number, field: string, fail: (what: string) => Error): number[] {
  const m = /^\(([^)]*)\)$/.exec(text.trim());
  const v = m ? m[1].split(',').map((x) => Number(x.trim())) : [];
  if (v.length !== dims || v.some((x) => !Number.isFinite(x)))
    throw fail(`${field} "${clip(text)}" is not a vector of ${dims} numbers`);
  return v;
}

function skipField(
  value: string | undefined,
  field: string,
  allowMinusOne: boolean,
  fail: (what: string) => Error,
): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < (allowMinusOne ? -1 : 0))
    throw fail(`${field} ${clip(value)} is not a whole number ≥ ${allowMinusOne ? -1 : 0}`);
  return n;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/** Header text quoted in a one-line message: printable and short. */
function clip(text: string): string {
  const t = text.replace(/[^\x20-\x7e]/g, '?');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
