import { describe, expect, it } from 'vitest';
import { syntheticCase } from '../../test/synthetic-cases.ts';
import { Rng } from '../random/rng.ts';
import { drawSampleLocation } from './sample-location.ts';
import { buildSamplingPool } from './sampling-pool.ts';

describe('uniform patch placement with volume padding', () => {
  // A 7×5×4 volume, patch 4×4×3, padding 2×1×0: window starts range over [−q, n + q − p] per axis, i.e.
  // x −2…5 (8 starts), y −1…2 (4), z 0…1 (2) — 64 placements in all.
  const pool = buildSamplingPool([
    syntheticCase(
      'v',
      [7, 5, 4],
      [1, 1, 1],
      () => 0,
      () => 0,
    ),
  ]);
  const patch = [4, 4, 3];
  const padding = [2, 1, 0];

  it('keeps every window inside the padded volume and reaches every start over many draws', () => {
    const rng = new Rng(3);
    const seen = new Set<string>();
    const outside: number[][] = [];
    for (let t = 0; t < 2000; t++) {
      const { centre } = drawSampleLocation(pool, rng, {
        patchSize: patch,
        forceForeground: false,
        emptySliceSkipProbability: 0,
        volumePadding: padding,
      });
      const start = centre.map((c, a) => c - (patch[a] - 1) / 2);
      if (start.some((s, a) => !Number.isInteger(s) || s < -padding[a] || s + patch[a] > pool[0].shape[a] + padding[a]))
        outside.push(start);
      seen.add(start.join(','));
    }
    expect(outside).toEqual([]);
    expect(seen.size).toBe(8 * 4 * 2);
  });

  it('without padding places windows inside the volume, as before', () => {
    const rng = new Rng(4);
    const starts = new Set<number>();
    for (let t = 0; t < 500; t++) {
      const { centre } = drawSampleLocation(pool, rng, {
        patchSize: patch,
        forceForeground: false,
        emptySliceSkipProbability: 0,
      });
      starts.add(centre[0] - 1.5);
    }
    expect([...starts].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
  });
});
