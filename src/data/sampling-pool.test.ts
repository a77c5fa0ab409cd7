import { describe, expect, it } from 'vitest';
import { syntheticCase } from '../../test/synthetic-cases.ts';
import { buildSamplingPool } from './sampling-pool.ts';

describe('buildSamplingPool', () => {
  it('lists each label’s voxels and the slices holding any label (by hand on a 3×2×3 grid)', () => {
    // Label 2 at (1, 0, 0) and (2, 1, 2); label 5 at (0, 1, 2); slice k = 1 empty.
    const marks: Record<string, number> = { '1,0,0': 2, '2,1,2': 2, '0,1,2': 5 };
    const c = syntheticCase(
      'm',
      [3, 2, 3],
      [1, 1, 2],
      () => 0,
      (i, j, k) => marks[`${i},${j},${k}`] ?? 0,
    );
    const [p] = buildSamplingPool([c]);
    expect(p.labels).toEqual([2, 5]);
    expect([...p.locations[0]]).toEqual([1, 2 * 6 + 1 * 3 + 2]);
    expect([...p.locations[1]]).toEqual([2 * 6 + 3]);
    expect([...p.sliceForeground]).toEqual([1, 0, 1]);
    expect(p.shape).toEqual([3, 2, 3]);
    expect(p.spacing).toEqual([1, 1, 2]);
  });

  it('refuses an empty case list', () => {
    expect(() => buildSamplingPool([])).toThrow('no training cases to sample from');
  });
});
