/**
 * The quick training the CLI tests share: `multirater train --data DATA FLAGS --batch 2 --threads 1 --out OUT`, a
 * few iterations (the test's `--iterations` among the flags) on a tiny dataset, checking files and wiring only.
 */

/** The arguments; `flags` is written as on a command line (space-separated, no quoting: no value holds a space). */
export function quickTrainArgs(data: string, out: string, flags: string): string[] {
  return ['train', '--data', data, ...flags.trim().split(/\s+/), '--batch', '2', '--threads', '1', '--out', out];
}
