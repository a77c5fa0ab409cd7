import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { loadDataset } from '../datasets/dataset.ts';
import { importDataset } from '../datasets/import-dataset.ts';
import { readVolume } from '../io/read-volume.ts';
import { simulateBraingrowthDataset } from './simulate-braingrowth.ts';
import { maskDice as dice } from '../../test/mask-dice.ts';

let root: string;
let out: string;

beforeAll(() => {
  root = tempDir('braingrowth');
  out = join(root, 'a');
  // The default 256 px (0.5 mm), the styles' own pixel size.
  simulateBraingrowthDataset({ out, cases: 2, testCases: 1, seed: 3 });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('simulate braingrowth', () => {
  it('writes the QUBIQ layout: the importer finds the same cases, raters seg01…seg07 and splits', () => {
    const { dataset } = loadDataset(out);
    expect(dataset.raters).toEqual(['seg01', 'seg02', 'seg03', 'seg04', 'seg05', 'seg06', 'seg07']);
    expect(dataset.cases.map((c) => [c.id, c.meta.split])).toEqual([
      ['train-case01', 'train'],
      ['test-case02', 'test'],
    ]);
    const imported = importDataset(out, { layout: 'qubiq', out: join(root, 'imported') }).dataset;
    expect(imported.cases.map((c) => c.id)).toEqual(dataset.cases.map((c) => c.id));
    expect(imported.raters).toEqual(dataset.raters);
    expect(Object.keys((dataset.source as { raterModels: object }).raterModels)).toEqual(dataset.raters);
  });

  it('is deterministic: the same seed writes the same bytes', () => {
    const [b, c] = ['b', 'c'].map((name) => join(root, name));
    for (const dir of [b, c]) simulateBraingrowthDataset({ out: dir, cases: 2, testCases: 1, size: 64, seed: 9 });
    for (const f of ['Training/case01/image.nii.gz', 'Testing/case02/task01_seg07.nii.gz', 'dataset.json']) {
      expect(readFileSync(join(b, f)).equals(readFileSync(join(c, f))), f).toBe(true);
    }
  });

  it('writes validation cases under Validation/ after the test cases, leaving every other case as it was', () => {
    const [plain, withVal] = ['plain', 'val'].map((name) => join(root, name));
    simulateBraingrowthDataset({ out: plain, cases: 3, testCases: 1, size: 32, seed: 4 });
    simulateBraingrowthDataset({ out: withVal, cases: 5, testCases: 1, valCases: 2, size: 32, seed: 4 });
    expect(loadDataset(withVal).dataset.cases.map((c) => [c.id, c.meta.split])).toEqual([
      ['train-case01', 'train'],
      ['train-case02', 'train'],
      ['val-case04', 'val'],
      ['val-case05', 'val'],
      ['test-case03', 'test'],
    ]);
    for (const f of ['Training/case02/task01_seg03.nii.gz', 'Testing/case03/image.nii.gz'])
      expect(readFileSync(join(plain, f)).equals(readFileSync(join(withVal, f))), f).toBe(true);
    expect(() => simulateBraingrowthDataset({ out: join(root, 'x'), cases: 5, testCases: 1, valCases: 4 })).toThrow(
      'simulate braingrowth: validation cases must be an integer in 0…3 (5 cases, 1 test), got 4',
    );
  });

  it('seg07 differs from every other expert more than they differ from each other; seg06 is closest to seg02', () => {
    const dir = join(out, 'Training', 'case01');
    const seg = (n: number) => readVolume(join(dir, `task01_seg0${n}.nii.gz`)).data;
    const masks = [1, 2, 3, 4, 5, 6, 7].map(seg);
    const others = masks.slice(0, 6);
    const within = others.flatMap((a, i) => others.slice(i + 1).map((b) => dice(a, b)));
    const toSeven = others.map((a) => dice(a, masks[6]));
    expect(Math.max(...toSeven)).toBeLessThan(Math.min(...within));
    const fromSix = [0, 1, 2, 3, 4].map((k) => dice(masks[5], masks[k]));
    expect(fromSix.indexOf(Math.max(...fromSix))).toBe(1);
  });
});
