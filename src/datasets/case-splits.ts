/**
 * Train/val/test splits for an import, from a file or drawn at random.
 * - A splits file names each case's split: CSV with a header holding the columns `case` and `split` (others are
 *   ignored), or JSON `{ "caseId": "split" }`. A case id not among the imported cases, a split name other than
 *   train, val or test, or a case listed twice is refused in one line naming the file and the row (CSV, the header
 *   is row 1) or key (JSON). Cases the file does not list keep the split their layout gave them (often none).
 * - Ratios [train, val, test] (each ≥ 0, summing to 1) assign every case: the counts are the largest-remainder
 *   rounding of ratio × cases (each split gets ⌊ratio × N⌋, the cases left over go one each to the splits with the
 *   largest fractional parts, ties to train, then val, then test), so they sum to N and differ from the exact shares by
 *   less than one; then the case ids, sorted, are shuffled by the seeded generator (Fisher–Yates) and dealt in that
 *   order: the first ones train, then val, then test. The same ids, ratios and seed give the same splits.
 */
import { parse } from 'csv-parse/sync';
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/index.ts';
import { SPLITS, type Case, type Split } from './dataset.ts';
import { readJsonFile, readText } from './source-tree.ts';

/** Split per case id, as a splits file or the ratios assign them. */
export type CaseSplits = Map<string, Split>;

/** Where a file's entry is: `line 3` (CSV, the header is line 1) or `key "p07"` (JSON), for messages. */
interface FileEntry {
  caseId: string;
  split: string;
  where: string;
}

/** The splits `file` (.csv or .json) assigns to `caseIds`; see the file comment for the format and the refusals. */
export function readSplitsFile(file: string, caseIds: readonly string[]): CaseSplits {
  const entries = file.toLowerCase().endsWith('.json')
    ? jsonEntries(file)
    : file.toLowerCase().endsWith('.csv')
      ? csvEntries(file)
      : null;
  if (entries === null)
    throw new MultiraterError(
      'invalid_argument',
      `${file}: a splits file is .csv (columns case,split) or .json ({"caseId": "split"})`,
    );
  const known = new Set(caseIds);
  const splits: CaseSplits = new Map();
  for (const e of entries) {
    if (!known.has(e.caseId))
      throw new MultiraterError(
        'invalid_argument',
        `${file}: ${e.where}: case "${e.caseId}" is not among the ${caseIds.length} imported cases`,
      );
    if (!isSplit(e.split))
      throw new MultiraterError(
        'invalid_argument',
        `${file}: ${e.where}: split "${e.split}" is not one of ${SPLITS.join(', ')}`,
      );
    if (splits.has(e.caseId))
      throw new MultiraterError('invalid_argument', `${file}: ${e.where}: case "${e.caseId}" is listed twice`);
    splits.set(e.caseId, e.split);
  }
  return splits;
}

/** Cases per split for `n` cases and `ratios` [train, val, test]: largest-remainder rounding (file comment). */
export function splitCounts(n: number, ratios: readonly number[]): [number, number, number] {
  assertSplitRatios(ratios);
  const exact = ratios.map((r) => r * n);
  const counts = exact.map(Math.floor);
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let left = n - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) counts[order[k % 3]]++;
  return [counts[0], counts[1], counts[2]];
}

/** A seeded split for every id in `caseIds` in proportions `ratios` [train, val, test] (file comment). */
export function assignSplits(caseIds: readonly string[], ratios: readonly number[], seed: number): CaseSplits {
  const [train, val] = splitCounts(caseIds.length, ratios);
  const order = [...caseIds].sort();
  const rng = new Rng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Map(order.map((id, i): [string, Split] => [id, i < train ? 'train' : i < train + val ? 'val' : 'test']));
}

/** `cases` with `meta.split` set from `splits` where it names the case. */
export function applySplits(cases: readonly Case[], splits: CaseSplits): Case[] {
  return cases.map((c) => {
    const split = splits.get(c.id);
    return split === undefined ? c : { ...c, meta: { ...c.meta, split } };
  });
}

function isSplit(name: string): name is Split {
  return (SPLITS as readonly string[]).includes(name);
}

/** Throws unless `ratios` are three numbers ≥ 0 (train, val, test) summing to 1 (within 1e-6). */
export function assertSplitRatios(ratios: readonly number[]): void {
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (ratios.length !== 3 || ratios.some((r) => !Number.isFinite(r) || r < 0) || Math.abs(sum - 1) > 1e-6) {
    throw new MultiraterError(
      'invalid_argument',
      `split ratios ${ratios.join(',')}: expected three numbers ≥ 0 (train, val, test) summing to 1`,
    );
  }
}

function csvEntries(file: string): FileEntry[] {
  let rows: string[][];
  const lineOf: number[] = [];
  try {
    rows = parse(readText(file), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      on_record: (record: string[], context) => {
        lineOf.push(context.lines);
        return record;
      },
    });
  } catch (e) {
    if (e instanceof MultiraterError) throw e;
    throw new MultiraterError('invalid_argument', `${file}: not a readable CSV (${(e as Error).message})`);
  }
  const first = rows[0] ?? [];
  const header = first.map((h) => h.toLowerCase());
  const caseCol = header.indexOf('case');
  const splitCol = header.indexOf('split');
  if (caseCol < 0 || splitCol < 0)
    throw new MultiraterError(
      'invalid_argument',
      `${file}: line ${lineOf[0] ?? 1}: expected a header with the columns case and split, found "${first.join(',')}"`,
    );
  return rows
    .slice(1)
    .map((row, i) => ({ caseId: row[caseCol] ?? '', split: row[splitCol] ?? '', where: `line ${lineOf[i + 1]}` }));
}

function jsonEntries(file: string): FileEntry[] {
  let json: unknown;
  try {
    json = readJsonFile(file);
  } catch (e) {
    if (e instanceof MultiraterError && e.code === 'invalid_dataset')
      throw new MultiraterError('invalid_argument', e.message);
    throw e;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new MultiraterError('invalid_argument', `${file}: expected a JSON object {"caseId": "split"}`);
  return Object.entries(json).map(([caseId, split]) => {
    if (typeof split !== 'string')
      throw new MultiraterError(
        'invalid_argument',
        `${file}: key "${caseId}": split must be a string (one of ${SPLITS.join(', ')}), found ${JSON.stringify(split)}`,
      );
    return { caseId, split, where: `key "${caseId}"` };
  });
}
