import { describe, expect, it } from 'vitest';
import { syntheticCase } from '../../test/synthetic-cases.ts';
import { buildSamplingPool } from './sampling-pool.ts';
import { tileStarts, validationBatches } from './validation-batches.ts';

// Voxel value = linear index + 1 (image) and (index mod 4) (label), so coverage can be checked voxel by voxel.
const a = syntheticCase(
  'a',
  [5, 4, 3],
  [1, 1, 5],
  (i, j, k) => (k * 4 + j) * 5 + i + 1,
  (i, j, k) => ((k * 4 + j) * 5 + i) % 4,
);
const b = syntheticCase(
  'b',
  [4, 4, 2],
  [1, 1, 5],
  (i, j, k) => 100 + (k * 4 + j) * 4 + i,
  () => 1,
);
const pool = buildSamplingPool([a, b]);

describe('validationBatches', () => {
  it('spreads tiles evenly with overlap at the end (by hand: 10 voxels, patch 4 → starts 0, 3, 6)', () => {
    expect(tileStarts(10, 4)).toEqual([0, 3, 6]);
    expect(tileStarts(8, 4)).toEqual([0, 4]);
    expect(tileStarts(3, 4)).toEqual([-1]);
  });

  it('yields every slice of every case once, in order, without augmentation (2D)', () => {
    const batches = [...validationBatches(pool, { patchSize: [5, 4], batchSize: 2 })];
    // Case a has 3 slices, case b 2: five samples in batches of 2, 2, 1.
    expect(batches.map((x) => x.imageShape)).toEqual([
      [2, 1, 4, 5],
      [2, 1, 4, 5],
      [1, 1, 4, 5],
    ]);
    expect(batches.flatMap((x) => x.samples.map((s) => `${s.caseId}:${s.centre[2]}`))).toEqual([
      'a:0',
      'a:1',
      'a:2',
      'b:0',
      'b:1',
    ]);
    // Case a's slices are copied exactly; case b (4 wide) is padded by one column
    // on the left of a 5-wide patch (start ⌊(4 − 5)/2⌋ = −1, as crop-or-pad centres).
    const first = batches[0];
    expect([...first.image.subarray(0, 20)]).toEqual([...a.image.data.subarray(0, 20)]);
    expect([...first.label.subarray(20, 40)]).toEqual([...a.label.data.subarray(20, 40)]);
    expect([...batches[1].image.subarray(20, 25)]).toEqual([0, 100, 101, 102, 103]);
  });

  it('covers every voxel of a 3D volume with tiles', () => {
    const seen = new Set<number>();
    for (const batch of validationBatches(pool.slice(0, 1), { patchSize: [3, 2, 2], batchSize: 4 })) {
      for (const v of batch.image) if (v > 0) seen.add(v);
    }
    expect(seen.size).toBe(5 * 4 * 3);
  });
});
