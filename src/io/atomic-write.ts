/** Writes go to a temporary sibling first and are renamed into place, so a failure never leaves a partial file. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MultiraterError } from '../errors.ts';

/** Writes `bytes` (or text) to `path` atomically, creating the parent folder. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary file could not even be created; nothing to clean.
    }
    throw new MultiraterError(
      'io_error',
      `${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}
