/**
 * Output-path safety: no command may write over one of its inputs, write into a folder holding one, write two
 * outputs to one path, or write a format its name does not say. Paths are compared after resolving symbolic links
 * (and, for files that exist, by device and inode, so hard links count as the same file).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { MultiraterError } from '../errors.ts';

/**
 * A path as the file system will resolve it: links in the path and, when it exists, the file itself resolved.
 * `memo` keeps the folders already resolved, so that many outputs in one new folder resolve it once.
 */
function canonical(path: string, memo?: Map<string, string>): string {
  const absolute = resolve(path);
  const known = memo?.get(absolute);
  if (known !== undefined) return known;
  let real: string;
  if (existsSync(absolute)) real = realpathSync(absolute);
  else {
    const parent = dirname(absolute);
    real = parent === absolute ? absolute : join(canonical(parent, memo), basename(absolute));
  }
  memo?.set(absolute, real);
  return real;
}

/** An existing regular file's device and inode (`dev:ino`), so hard links compare equal; null for anything else. */
function fileId(path: string): string | null {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}

/** True when `a` and `b` name the same file (the same path after links, or the same device and inode). */
export function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  const id = fileId(a);
  return id !== null && id === fileId(b);
}

/**
 * Paths indexed by what `sameFile` compares, each key to the first path that has it: `find` answers "which of
 * these names the same file as `path`" in one lookup per key instead of a comparison per path.
 */
class PathIndex {
  private readonly byPath = new Map<string, number>();
  private readonly byFile = new Map<string, number>();
  private readonly paths: string[] = [];

  constructor(private readonly memo: Map<string, string>) {}

  /** Adds `path` (a later path with a key already held does not replace the earlier). */
  add(path: string): void {
    const at = this.paths.push(path) - 1;
    const key = canonical(path, this.memo);
    if (!this.byPath.has(key)) this.byPath.set(key, at);
    const id = fileId(path);
    if (id !== null && !this.byFile.has(id)) this.byFile.set(id, at);
  }

  /** The index of the first path added that names the same file as `path`, or −1. */
  find(path: string): number {
    const a = this.byPath.get(canonical(path, this.memo)) ?? Infinity;
    const id = fileId(path);
    const b = id === null ? Infinity : (this.byFile.get(id) ?? Infinity);
    const first = Math.min(a, b);
    return first === Infinity ? -1 : first;
  }

  /** The path added at `index`. */
  at(index: number): string {
    return this.paths[index];
  }
}

/** An output path with the option (or role) that names it in error messages: `['options.out', 'fused.nii.gz']`. */
export type NamedPath = readonly [role: string, path: string];

/**
 * Throws `output_conflict` when an output equals an input or another output; checked before anything is read or
 * written, so nothing is lost. Inputs are plain paths (their role is "an input").
 */
export function assertOutputsDistinct(outputs: readonly NamedPath[], inputs: readonly string[]): void {
  const memo = new Map<string, string>();
  const inputIndex = new PathIndex(memo);
  for (const input of inputs) inputIndex.add(input);
  const outputIndex = new PathIndex(memo);
  outputs.forEach(([role, path]) => {
    const input = inputIndex.find(path);
    if (input >= 0)
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} would overwrite the input ${inputIndex.at(input)}; choose another output path`,
      );
    const twin = outputIndex.find(path);
    if (twin >= 0)
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} and ${outputs[twin][0]} name the same file; give each output its own path`,
      );
    outputIndex.add(path);
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
  const memo = new Map<string, string>();
  const folder = canonical(path, memo);
  const folderId = fileId(path);
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const input of inputs) {
    const real = canonical(input, memo);
    if (real === folder || (folderId !== null && fileId(input) === folderId))
      throw new MultiraterError(
        'output_conflict',
        `${path}: ${role} would write into the input ${input}; choose another output folder`,
      );
    if (real.startsWith(prefix))
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
