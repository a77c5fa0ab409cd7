/** Assertions for a command that must be refused: exit 1 and one stderr line, its inputs left as they were. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.ts';

/** Asserts `r` is a refusal: exit 1 and one stderr line matching `pattern`. */
export function expectRefused(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

/** Runs a command that must be refused: exit 1, one stderr line matching `pattern`, and `unchanged` files intact. */
export function refused(args: string[], pattern: RegExp, unchanged: string[]): void {
  const before = unchanged.map((f) => readFileSync(f));
  expectRefused(runCli(...args), pattern);
  unchanged.forEach((f, i) => expect(readFileSync(f).equals(before[i]), f).toBe(true));
}
