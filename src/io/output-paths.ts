/**
 * Output-path safety: no command may write over one of its inputs, write into a folder holding one, write two
 * outputs to one path, or write a format its name does not say. Paths are compared after resolving symbolic links
 * (and, for files that exist, by device and inode, so hard links count as the same file).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
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

/** An output path with the option (or role) that names it in error messages: `['options.out', 'fused.nii.gz']`. */
export type NamedPath = readonly [role: string, path: string];

/**
 * Throws `output_conflict` when an output equals an input or another output; checked before anything is read or
 * written, so nothing is lost. Inputs are plain paths (their role is "an input").
 */
export function assertOutputsDistinct(outputs: readonly NamedPath[], inputs: readonly string[]): void {
  outputs.forEach(([role, path], i) => {
    const input = inputs.find((p) => sameFile(p, path));
    if (input !== undefined)
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} would overwrite the input ${input}; choose another output path`,
      );
    const twin = outputs.slice(0, i).find(([, other]) => sameFile(other, path));
    if (twin !== undefined)
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} and ${twin[0]} name the same file; give each output its own path`,
      );
  });
}

/** Throws unless `path` ends in `.nii` or `.nii.gz` (what multirater writes). */
export function assertNiftiOutput(role: string, path: string): void {
  if (!/\.nii(\.gz)?$/i.test(path))
    throw new MultiraterError(
      'unsupported_format',
      `${path}: ${role} must end in .nii or .nii.gz (outputs are written as NIfTI)`,
    );
}

/** Throws when `path` exists and is not a folder (a folder output such as a model or prediction folder). */
export function assertFolderOutput(role: string, path: string): void {
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new MultiraterError(
      'output_conflict',
      `${path}: ${role} names a folder to write, but this is an existing file`,
    );
}

/**
 * Throws `output_conflict` when the folder output `path` is one of `inputs` (a dataset or model folder, an input
 * file), or holds one, so that nothing a command writes can land on or among its inputs; and, as
 * `assertFolderOutput`, when it is an existing file. Checked before anything is read or written.
 */
export function assertFolderOutsideInputs(role: string, path: string, inputs: readonly string[]): void {
  const folder = canonical(path);
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const input of inputs) {
    if (sameFile(input, path))
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} would write into the input ${input}; choose another output folder`,
      );
    if (canonical(input).startsWith(prefix))
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} holds the input ${input}; choose a folder outside the inputs`,
      );
  }
  assertFolderOutput(role, path);
}

/** Every file under `dir` (its subfolders included); none when it is not a folder. Inputs given as a folder of files. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name));
}
