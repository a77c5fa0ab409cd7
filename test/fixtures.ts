/** Where the reference fixtures live: `MULTIRATER_FIXTURES` when set, else `../shared/fixtures` beside the repo. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export function fixturesDir(): string {
  return process.env.MULTIRATER_FIXTURES
    ? resolve(process.env.MULTIRATER_FIXTURES)
    : resolve(repoRoot, '../shared/fixtures');
}

export function fixturePath(...parts: string[]): string {
  return resolve(fixturesDir(), ...parts);
}

/** One file of `nifti/expected.json`: what nibabel reads from `file` (see the fixtures' README). */
export interface NiftiExpected {
  file: string;
  shape: number[];
  spacing: number[];
  datatype: string;
  affine: number[][];
  scaledSum: number;
  scaledFirst: number[];
  scaledAt: { index: number[]; value: number }[];
}

/** The NIfTI fixtures' expected values (`nifti/expected.json`). */
export function niftiExpected(): NiftiExpected[] {
  return JSON.parse(readFileSync(fixturePath('nifti', 'expected.json'), 'utf8')) as NiftiExpected[];
}
