import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { consensusLabel, patternTable } from './pattern-table.ts';

describe('patternTable', () => {
  it('groups voxels by the tuple of rater labels, growing past its initial capacity', () => {
    // 10 raters × 4 labels at random over 6,000 voxels: almost every voxel is its own pattern (> 1,024 slots).
    const rng = new Rng(5);
    const indices = Array.from({ length: 10 }, () => Uint8Array.from({ length: 6000 }, () => rng.int(4)));
    const table = patternTable(indices, null);
    expect(table.size).toBeGreaterThan(2000);
    expect(table.counts.reduce((a, b) => a + b, 0)).toBe(6000);
    for (let v = 0; v < 6000; v++) {
      const p = table.voxelPattern[v];
      for (let r = 0; r < 10; r++) expect(table.patterns[p * 10 + r]).toBe(indices[r][v]);
    }
  });

  it('skips masked-out voxels and reports consensus patterns', () => {
    const a = Uint8Array.from([0, 1, 1, 2]);
    const b = Uint8Array.from([0, 1, 0, 2]);
    const table = patternTable([a, b], Uint8Array.from([1, 1, 1, 0]));
    expect(Array.from(table.voxelPattern)).toEqual([0, 1, 2, -1]);
    expect([0, 1, 2].map((p) => consensusLabel(table, p))).toEqual([0, 1, -1]);
  });
});
