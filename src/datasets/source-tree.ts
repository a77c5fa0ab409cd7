/**
 * Reading a dataset's source folder for the layout importers: sorted listings, required files, small text files,
 * each failure a one-line `MultiraterError` naming the path. Paths the importers return are relative to the
 * source root and use `/`, so a dataset.json reads the same on every platform.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MultiraterError } from '../errors.ts';

/** Names of the sub-folders of `dir` (symbolic links to folders included), sorted, hidden ones left out. */
export function listFolders(dir: string): string[] {
  return listEntries(dir)
    .filter((e) => entryKind(dir, e) === 'folder')
    .map((e) => e.name);
}

/**
 * Names of the files of `dir`, sorted, hidden ones left out. Symbolic links count as files when they lead to a
 * file, and also when they lead nowhere: DataLad and git-annex datasets are trees of links whose content may not
 * be fetched yet, and listing them lets the check name each one (see `brokenLinkMessage`).
 */
export function listFiles(dir: string): string[] {
  return listEntries(dir)
    .filter((e) => entryKind(dir, e) === 'file')
    .map((e) => e.name);
}

function entryKind(dir: string, e: Dirent): 'file' | 'folder' | 'other' {
  if (e.isFile()) return 'file';
  if (e.isDirectory()) return 'folder';
  if (!e.isSymbolicLink()) return 'other';
  try {
    const target = statSync(join(dir, e.name));
    return target.isFile() ? 'file' : target.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'file';
  }
}

/**
 * For a path that does not open as a file: "broken symbolic link to TARGET" with a hint for annexed datasets
 * when it is a link, else null.
 */
export function brokenLinkMessage(path: string): string | null {
  let target: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) return null;
    target = readlinkSync(path);
  } catch {
    return null;
  }
  const annex = /\.git\/annex\/objects\//.test(target)
    ? ' (git-annex content not fetched: run `datalad get` or `git annex get`)'
    : '';
  return `${path}: broken symbolic link to ${target}${annex}`;
}

function listEntries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MultiraterError('file_not_found', `${dir}: no such folder`);
    if (code === 'ENOTDIR') throw new MultiraterError('invalid_argument', `${dir}: is a file, expected a folder`);
    throw new MultiraterError('io_error', `${dir}: cannot list (${code ?? String(e)})`);
  }
}

/** True when `path` is an existing file. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when `path` is an existing folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Throws `file_not_found` naming `path` unless it is a folder. */
export function requireFolder(path: string, what: string): void {
  if (!isFolder(path)) throw new MultiraterError('file_not_found', `${path}: no such folder (${what})`);
}

/** Reads a UTF-8 text file, `file_not_found`/`io_error` naming it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MultiraterError('file_not_found', `${path}: no such file`);
    throw new MultiraterError('io_error', `${path}: cannot read (${code ?? String(e)})`);
  }
}

/** Reads and parses a JSON file; `file_not_found`, `io_error` or `invalid_dataset` (not JSON) naming it. */
export function readJsonFile(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MultiraterError('invalid_dataset', `${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** `path` relative to `root`, with `/` separators. */
export function relativePosix(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Joins with `/` (for dataset-relative paths). */
export function posixJoin(...parts: string[]): string {
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** The name without a NIfTI/NRRD extension (`.nii.gz`, `.nii`, `.nrrd`, `.nhdr`), or null for other files. */
export function imageStem(name: string): string | null {
  const m = /^(.+?)(\.nii\.gz|\.nii|\.nrrd|\.nhdr)$/i.exec(name);
  return m ? m[1] : null;
}

/** The entries of `folders` naming a split (case-insensitively), in the order of `splits`' keys (lower case). */
export function splitFolders(folders: string[], splits: Record<string, string>): string[] {
  const order = Object.keys(splits);
  return folders
    .filter((f) => order.includes(f.toLowerCase()))
    .sort((a, b) => order.indexOf(a.toLowerCase()) - order.indexOf(b.toLowerCase()));
}
