/**
 * A list of case ids from a file, as `train --case-ids` takes it: one id per line (surrounding whitespace and blank
 * lines ignored), or a JSON array of strings (a `.json` file, or text starting with `[`). An empty list, a
 * non-string entry or an id listed twice is refused in one line naming the file and the line or index. Whether the
 * ids are cases of a dataset is checked where they are used (`loadTrainingCases`).
 */
import { MultiraterError } from '../errors.ts';
import { readText } from './source-tree.ts';

/** The case ids in `file`, in file order; see the file comment. */
export function readCaseIds(file: string): string[] {
  const text = readText(file);
  const json = file.toLowerCase().endsWith('.json') || text.trimStart().startsWith('[');
  const entries = json ? jsonEntries(text, file) : lineEntries(text);
  if (entries.length === 0)
    throw new MultiraterError('invalid_argument', `${file}: no case ids (one per line, or a JSON array of strings)`);
  const seen = new Set<string>();
  for (const { id, where } of entries) {
    if (seen.has(id)) throw new MultiraterError('invalid_argument', `${file}: ${where}: case "${id}" is listed twice`);
    seen.add(id);
  }
  return entries.map((e) => e.id);
}

function lineEntries(text: string): { id: string; where: string }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ id: line.trim(), where: `line ${i + 1}` }))
    .filter((e) => e.id.length > 0);
}

function jsonEntries(text: string, file: string): { id: string; where: string }[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MultiraterError('invalid_argument', `${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(value))
    throw new MultiraterError('invalid_argument', `${file}: expected a JSON array of case ids`);
  return value.map((id, i) => {
    if (typeof id !== 'string' || id.length === 0)
      throw new MultiraterError(
        'invalid_argument',
        `${file}: index ${i}: expected a case id (a non-empty string), found ${JSON.stringify(id)}`,
      );
    return { id, where: `index ${i}` };
  });
}
