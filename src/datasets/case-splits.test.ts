import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { assignSplits, readSplitsFile, splitCounts } from './case-splits.ts';
import { validateDataset } from './dataset.ts';

const ids = ['p01', 'p02', 'p03', 'p04'];

function file(name: string, text: string): string {
  const path = join(tempDir('case-splits'), name);
  writeFileSync(path, text);
  return path;
}

describe('split ratios', () => {
  it('round by largest remainder: counts sum to the cases and miss the exact shares by less than one', () => {
    expect(splitCounts(10, [0.7, 0.1, 0.2])).toEqual([7, 1, 2]);
    // 7 cases: exact 4.9, 0.7, 1.4 → floors 4, 0, 1; the two left over go to train (.9) and val (.7).
    expect(splitCounts(7, [0.7, 0.1, 0.2])).toEqual([5, 1, 1]);
    // Equal remainders go to train, then val, then test.
    expect(splitCounts(2, [1 / 3, 1 / 3, 1 / 3])).toEqual([1, 1, 0]);
    expect(splitCounts(3, [0.8, 0.2, 0])).toEqual([2, 1, 0]);
    expect(splitCounts(0, [0.7, 0.1, 0.2])).toEqual([0, 0, 0]);
  });

  it('refuse ratios that are not three numbers ≥ 0 summing to 1', () => {
    for (const bad of [
      [0.7, 0.3],
      [0.7, 0.2, 0.2],
      [1.2, -0.2, 0],
      [Number.NaN, 0.5, 0.5],
    ]) {
      expect(() => splitCounts(5, bad)).toThrow(/expected three numbers ≥ 0 \(train, val, test\) summing to 1/);
    }
  });

  it('deal a seeded shuffle of the sorted ids: the same for the same ids in any order, another for another seed', () => {
    const many = Array.from({ length: 20 }, (_, i) => `case${String(i).padStart(2, '0')}`);
    const a = assignSplits(many, [0.7, 0.1, 0.2], 3);
    expect([...a.values()].filter((s) => s === 'train')).toHaveLength(14);
    expect([...a.values()].filter((s) => s === 'val')).toHaveLength(2);
    expect([...a.values()].filter((s) => s === 'test')).toHaveLength(4);
    const reversed = assignSplits([...many].reverse(), [0.7, 0.1, 0.2], 3);
    expect(many.map((id) => reversed.get(id))).toEqual(many.map((id) => a.get(id)));
    const other = assignSplits(many, [0.7, 0.1, 0.2], 4);
    expect(many.map((id) => other.get(id))).not.toEqual(many.map((id) => a.get(id)));
  });
});

describe('readSplitsFile', () => {
  it('reads a CSV with columns case and split (any order, other columns ignored) and a JSON object', () => {
    const csv = readSplitsFile(file('s.csv', 'note,split,case\nx,train,p01\n\ny,test,p03\n'), ids);
    expect([...csv]).toEqual([
      ['p01', 'train'],
      ['p03', 'test'],
    ]);
    const json = readSplitsFile(file('s.json', '{"p02": "val", "p04": "train"}'), ids);
    expect([...json]).toEqual([
      ['p02', 'val'],
      ['p04', 'train'],
    ]);
  });

  it('refuses unknown case ids, unknown split names and repeats in one line naming the file and the line or key', () => {
    const csv = file('bad.csv', 'case,split\np01,train\n\np02,validate\n');
    expect(() => readSplitsFile(csv, ids)).toThrow(`${csv}: line 4: split "validate" is not one of train, val, test`);
    const unknown = file('unknown.csv', 'case,split\np99,train\n');
    expect(() => readSplitsFile(unknown, ids)).toThrow(
      `${unknown}: line 2: case "p99" is not among the 4 imported cases`,
    );
    const twice = file('twice.csv', 'case,split\np01,train\np01,test\n');
    expect(() => readSplitsFile(twice, ids)).toThrow(`${twice}: line 3: case "p01" is listed twice`);
    const header = file('header.csv', 'id,fold\np01,train\n');
    expect(() => readSplitsFile(header, ids)).toThrow(
      `${header}: line 1: expected a header with the columns case and split, found "id,fold"`,
    );
    const json = file('bad.json', '{"p01": "train", "p05": "test"}');
    expect(() => readSplitsFile(json, ids)).toThrow(`${json}: key "p05": case "p05" is not among the 4 imported cases`);
    const name = file('name.json', '{"p01": "dev"}');
    expect(() => readSplitsFile(name, ids)).toThrow(`${name}: key "p01": split "dev" is not one of train, val, test`);
    const notObject = file('array.json', '["p01"]');
    expect(() => readSplitsFile(notObject, ids)).toThrow(`${notObject}: expected a JSON object {"caseId": "split"}`);
    const txt = file('splits.txt', 'p01 train');
    expect(() => readSplitsFile(txt, ids)).toThrow(/a splits file is \.csv \(columns case,split\) or \.json/);
  });
});

describe('the split names of dataset.json', () => {
  it('are train, val and test, and a schema problem names the value found and the allowed ones', () => {
    const { issues } = validateDataset({
      name: 'x',
      labels: {},
      raters: [],
      cases: [{ id: 'a', raters: {}, meta: { split: 'validate' } }],
    });
    expect(issues).toEqual([
      { path: ['cases', 0, 'meta', 'split'], message: 'split "validate" is not one of train, val, test' },
    ]);
  });
});
