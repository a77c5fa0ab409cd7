/** Guards for output paths: an output never lands on one of the command's inputs (links resolved) or on another output. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MultiraterError } from '../errors.ts';

/** The absolute path `path` names once links are resolved (of its folder, when the file does not exist yet). */
export function resolvedPath(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const dir = dirname(resolve(path));
  return join(existsSync(dir) ? realpathSync(dir) : dir, basename(path));
}

/** Throws `invalid_argument` when an output is an input, or two outputs are the same file. */
export function checkOutputPaths(outputs: readonly string[], inputs: readonly string[]): void {
  const ins = new Map(inputs.map((p) => [resolvedPath(p), p]));
  const outs = new Map<string, string>();
  for (const out of outputs) {
    const r = resolvedPath(out);
    const input = ins.get(r);
    if (input !== undefined) throw new MultiraterError('invalid_argument', `${out}: output is the input ${input}; choose another output path`);
    const other = outs.get(r);
    if (other !== undefined) throw new MultiraterError('invalid_argument', `${out}: two outputs are the same file (${other}); choose different paths`);
    outs.set(r, out);
  }
}
