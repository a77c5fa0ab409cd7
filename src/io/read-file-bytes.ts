/**
 * Reads a whole file for the image readers, as a one-line MultiraterError when it cannot: only regular files
 * are read, so a header that names a device (`/dev/zero`) or a folder fails instead of reading forever.
 */
import { readFileSync, statSync } from 'node:fs';
import { MultiraterError } from '../errors.ts';

/** The bytes of the regular file at `path`. */
export function readFileBytes(path: string): Uint8Array {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new MultiraterError('io_error', `${path}: is a directory, expected a file`);
    if (!stat.isFile()) throw new MultiraterError('io_error', `${path}: is not a regular file`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof MultiraterError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MultiraterError('file_not_found', `${path}: no such file`);
    throw new MultiraterError('io_error', `${path}: cannot read (${code ?? String(e)})`);
  }
}
