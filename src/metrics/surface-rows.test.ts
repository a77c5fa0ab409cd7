import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { KdTree } from './kd-tree.ts';
import type { SurfacePoints } from './surface-points.ts';
import { FAR_ROWS, SurfaceRows } from './surface-rows.ts';

/** Voxels (i, j, k) in voxel order as SurfacePoints (mm from the box's first voxel). */
function points(voxels: number[][], spacing: readonly number[]): SurfacePoints {
  const sorted = [...voxels].sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);
  return {
    count: sorted.length,
    ijk: Int32Array.from(sorted.flat()),
    xyz: Float64Array.from(sorted.flatMap((v) => v.map((c, a) => c * spacing[a]))),
    onOther: new Uint8Array(sorted.length),
  };
}

const bruteForce = (voxels: number[][], q: number[], s: readonly number[]) =>
  Math.min(
    ...voxels.map((v) => ((v[0] - q[0]) * s[0]) ** 2 + ((v[1] - q[1]) * s[1]) ** 2 + ((v[2] - q[2]) * s[2]) ** 2),
  );

describe('SurfaceRows', () => {
  it('finds the nearest voxel as brute force does and the same double as the k-d tree, near and far, in any order', () => {
    const rng = new Rng(3);
    const spacing = [0.8, 1.25, 3] as const;
    const [cx, cy, cz] = [40, 30, 12];
    for (const n of [1, 5, 60, 400]) {
      const voxels = Array.from({ length: n }, () => [rng.int(cx), rng.int(cy), rng.int(cz)]);
      const surface = points(voxels, spacing);
      const rows = new SurfaceRows(surface, cy, cz, spacing);
      const tree = new KdTree(surface.xyz, surface.count);
      // Queries walk the box in voxel order (as surfaceDistances asks), then jump at random.
      const queries: number[][] = [];
      for (let k = 0; k < cz; k += 3)
        for (let j = 0; j < cy; j += 2) for (let i = 0; i < cx; i += 5) queries.push([i, j, k]);
      for (let q = 0; q < 100; q++) queries.push([rng.int(cx), rng.int(cy), rng.int(cz)]);
      for (const q of queries) {
        const got = rows.nearestSquared(q[0], q[1], q[2]);
        expect(got).toBeCloseTo(bruteForce(voxels, q, spacing), 10);
        expect(got).toBe(tree.nearestSquared(q[0] * spacing[0], q[1] * spacing[1], q[2] * spacing[2]));
      }
    }
  });

  it('answers a query farther than FAR_ROWS rows allow, from a blob across the box', () => {
    const spacing = [1, 1, 1] as const;
    const voxels = [
      [0, 0, 0],
      [1, 0, 0],
      [79, 79, 79],
    ];
    const rows = new SurfaceRows(points(voxels, spacing), 80, 80, spacing);
    expect(Math.PI * 70 ** 2).toBeGreaterThan(FAR_ROWS); // a 70-voxel disc is beyond the rows' reach
    expect(rows.nearestSquared(2, 0, 0)).toBe(1);
    expect(rows.nearestSquared(70, 70, 70)).toBe(3 * 81);
    expect(rows.nearestSquared(3, 1, 0)).toBe(5);
  });

  it('is Infinity for an empty surface', () => {
    expect(new SurfaceRows(points([], [1, 1, 1]), 4, 4, [1, 1, 1]).nearestSquared(0, 0, 0)).toBe(Infinity);
  });
});
