/**
 * What an image file is, from its first bytes alone: NIfTI-1 (`sizeof_hdr` 348, magic `n+1`/`ni1` at byte 344),
 * NIfTI-2 (540, `n+2`/`ni2` at byte 4), either plain or gzip, or NRRD (with its data attached or naming detached
 * data files). Used where a file is handed on unread, as the viewer does, so a path that names a text file or a
 * key is refused instead of passed through. Reads at most `SNIFF_BYTES` of the file and inflates only what it
 * needs.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants, inflateRawSync } from 'node:zlib';
import { MultiraterError } from '../errors.ts';
import { isNrrd, nrrdHeaderEnd, parseNrrdHeader } from './nrrd-header.ts';

/** What `sniffImage` found. */
export interface SniffedImage {
  /** The container: NIfTI-1 (348-byte header), NIfTI-2 (540-byte header) or NRRD. */
  format: 'nifti1' | 'nifti2' | 'nrrd';
  /** The file starts with the gzip magic (a `.nii.gz`, whatever its name). */
  gzip: boolean;
  /** NRRD only: the data files the header names (`data file:`), null when the data are attached. */
  dataFiles: string[] | null;
}

/** Bytes read from the file: enough for a NIfTI-2 header after inflation, and for a long NRRD header. */
export const SNIFF_BYTES = 64 * 1024;

/** The format of the regular file at `path`; throws a one-line MultiraterError naming it when it is no image. */
export function sniffImage(path: string): SniffedImage {
  const head = readHead(path);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const bytes = gzip ? inflateHead(head, path) : head;
  const nifti = niftiVersion(bytes);
  if (nifti !== null) return { format: nifti, gzip, dataFiles: null };
  if (isNrrd(bytes)) {
    const header = parseNrrdHeader(
      Buffer.from(bytes.buffer, bytes.byteOffset, nrrdHeaderEnd(bytes)).toString('latin1'),
      path,
    );
    return { format: 'nrrd', gzip, dataFiles: header.dataFiles };
  }
  throw new MultiraterError(
    'unsupported_format',
    `${path}: not a NIfTI or NRRD image (no NIfTI header or NRRD magic in its first bytes)`,
  );
}

function readHead(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new MultiraterError(
      'file_not_found',
      `${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  try {
    if (!fstatSync(fd).isFile()) throw new MultiraterError('io_error', `${path}: is not a regular file`);
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The start of a gzip member's payload: the header is skipped (RFC 1952 §2.3: FEXTRA, FNAME, FCOMMENT, FHCRC) and
 * the deflate stream inflated with a sync flush, which accepts a stream cut short.
 */
function inflateHead(head: Uint8Array, path: string): Uint8Array {
  const bad = () => new MultiraterError('invalid_nifti', `${path}: gzip header is damaged`);
  if (head.length < 10 || head[2] !== 8) throw bad();
  const flags = head[3];
  let at = 10;
  if (flags & 4) at += 2 + (head[at] | (head[at + 1] << 8));
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (at < head.length && head[at] !== 0) at++;
    at++;
  }
  if (flags & 2) at += 2;
  if (at >= head.length) throw bad();
  try {
    return inflateRawSync(head.subarray(at), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    throw bad();
  }
}

function niftiVersion(b: Uint8Array): 'nifti1' | 'nifti2' | null {
  if (b.length < 348) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = (le: boolean) => view.getInt32(0, le);
  const magic = (at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
  if ((size(true) === 348 || size(false) === 348) && /^n[i+]1\0$/.test(magic(344))) return 'nifti1';
  if (b.length >= 540 && (size(true) === 540 || size(false) === 540) && /^n[i+]2\0$/.test(magic(4))) return 'nifti2';
  return null;
}
