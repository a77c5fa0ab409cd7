/**
 * Output-path safety: no command may write over one of its inputs, write two outputs to one path, or write a
 * format its name does not say. Paths are compared after resolving symbolic links (and, for files that exist, by
 * device and inode, so hard links count as the same file).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MultiraterError } from '../errors.ts';

/** A path as the file system will resolve it: links in the path and, when it exists, the file itself resolved. */
function canonical(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(canonical(parent), basename(absolute));
}

/** True when `a` and `b` name the same file (the same path after links, or the same device and inode). */
export function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev && sa.isFile();
  } catch {
    return false;
  }
}

/** An output path with the flag (or role) that names it in error messages: `['--out', 'fused.nii.gz']`. */
export type NamedPath = readonly [role: string, path: string];

/**
 * Throws `output_conflict` when an output equals an input or another output; checked before anything is read or
 * written, so nothing is lost. Inputs are plain paths (their role is "an input").
 */
export function assertOutputsDistinct(outputs: readonly NamedPath[], inputs: readonly string[]): void {
  outputs.forEach(([role, path], i) => {
    const input = inputs.find((p) => sameFile(p, path));
    if (input !== undefined) throw new MultiraterError('output_conflict', `${path}: ${role} would overwrite the input ${input}; choose another output path`);
    const twin = outputs.slice(0, i).find(([, other]) => sameFile(other, path));
    if (twin !== undefined) throw new MultiraterError('output_conflict', `${path}: ${role} and ${twin[0]} name the same file; give each output its own path`);
  });
}

/** Throws unless `path` ends in `.nii` or `.nii.gz` (what multirater writes). */
export function assertNiftiOutput(role: string, path: string): void {
  if (!/\.nii(\.gz)?$/i.test(path)) throw new MultiraterError('unsupported_format', `${path}: ${role} must end in .nii or .nii.gz (outputs are written as NIfTI)`);
}

/** Throws when `path` exists and is not a folder (a folder output such as a model or prediction folder). */
export function assertFolderOutput(role: string, path: string): void {
  if (existsSync(path) && !statSync(path).isDirectory()) throw new MultiraterError('output_conflict', `${path}: ${role} names a folder to write, but this is an existing file`);
}
