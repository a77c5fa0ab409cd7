import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/dataset-trees.ts';
import { saveDataset } from '../../datasets/dataset.ts';
import { writeNifti } from '../../io/write-nifti.ts';
import { createVolume } from '../../volume/volume.ts';
import { labelPatternStatistics } from './annotators-identifiability.ts';

const root = tempDir('identifiability');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * One training case of four pixels: truth 1 1 0 0; annotators a, b, c say 1 1 1 0 / 1 0 0 0 / 1 1 1 0, so the
 * patterns (a, b, c) are 111 (digit), 101 (digit), 101 (background), 000 (background).
 */
function writeCase(): string {
  const dir = join(root, 'data');
  mkdirSync(dir, { recursive: true });
  const grid = { spacing: [1, 1, 1] };
  const write = (name: string, values: number[]) =>
    writeNifti(join(dir, `${name}.nii.gz`), createVolume([2, 2, 1], Uint8Array.from(values), grid));
  write('image', [0, 0, 0, 0]);
  write('truth', [1, 1, 0, 0]);
  write('a', [1, 1, 1, 0]);
  write('b', [1, 0, 0, 0]);
  write('c', [1, 1, 1, 0]);
  saveDataset(dir, {
    name: 'patterns',
    labels: { '1': 'digit' },
    raters: ['a', 'b', 'c'],
    cases: [
      {
        id: 'x',
        image: 'image.nii.gz',
        truth: 'truth.nii.gz',
        raters: { a: 'a.nii.gz', b: 'b.nii.gz', c: 'c.nii.gz' },
        meta: { split: 'train' },
      },
    ],
  });
  return dir;
}

describe('labelPatternStatistics', () => {
  it('counts label patterns by the truth and derives what a per-pixel reading of the labels can reach (hand-computed)', () => {
    const s = labelPatternStatistics(writeCase(), ['a', 'b', 'c'], 'train');
    expect(s.patterns).toEqual([
      { pattern: '000', background: 1, foreground: 0 },
      { pattern: '101', background: 1, foreground: 1 },
      { pattern: '111', background: 0, foreground: 1 },
    ]);
    expect(s.truthPixels).toBe(2);
    // Best function: 111 → digit, 101 (a tie) and 000 → background: TP 1, FP 0, Dice 2/(1 + 2).
    expect(s.bestLabelFunctionDice).toBeCloseTo(2 / 3, 12);
    // Majority: 111 and 101 → digit: TP 2, FP 1, Dice 4/5; it contradicts the truth on one pixel of two truth pixels.
    expect(s.majorityDice).toBeCloseTo(0.8, 12);
    expect(s.majorityWrongOverTruth).toBe(0.5);
    // Annotators agreeing per pixel: truth 3, 2, 1, 3; majority 3, 2, 2, 3; minority 0, 1, 1, 0.
    expect(s.agreement).toEqual({ truth: 9 / 4, majority: 10 / 4, minority: 2 / 4 });
    expect(s.annotators).toEqual([
      { name: 'a', areaOverTruth: 1.5, meanDice: 0.8 },
      { name: 'b', areaOverTruth: 0.5, meanDice: 2 / 3 },
      { name: 'c', areaOverTruth: 1.5, meanDice: 0.8 },
      { name: 'majority', areaOverTruth: 1.5, meanDice: 0.8 },
    ]);
  });
});
