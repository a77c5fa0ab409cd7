import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { squaredDistanceTransform } from '../volume/distance-transform.ts';
import { KdTree } from './kd-tree.ts';
import { surfaceDistances } from './surface-distances.ts';
import { surfaceMask } from './surface.ts';

describe('KdTree', () => {
  it('finds the exact nearest squared distance, as brute force, with ties and duplicate points', () => {
    const rng = new Rng(11);
    for (const n of [1, 2, 3, 17, 500]) {
      // Lattice points with anisotropic spacing: many equal coordinates along each axis.
      const xyz = new Float64Array(3 * n).map((_, i) => rng.int(8) * [0.7, 1.5, 3][i % 3]);
      const tree = new KdTree(xyz, n);
      for (let q = 0; q < 200; q++) {
        const [x, y, z] = [rng.uniform() * 6, rng.uniform() * 12, rng.uniform() * 24];
        let want = Infinity;
        for (let i = 0; i < n; i++)
          want = Math.min(want, (xyz[3 * i] - x) ** 2 + (xyz[3 * i + 1] - y) ** 2 + (xyz[3 * i + 2] - z) ** 2);
        expect(tree.nearestSquared(x, y, z)).toBe(want);
      }
    }
    expect(new KdTree(new Float64Array(0), 0).nearestSquared(0, 0, 0)).toBe(Infinity);
  });
});

describe('surfaceDistances by rows and k-d tree', () => {
  it('equals the exact distance transform of the other surface (the previous method) to 1e-12 mm on 64×48×20 blobs', () => {
    const rng = new Rng(5);
    const dims: [number, number, number] = [64, 48, 20];
    const spacing = [1.25, 0.9, 4];
    const n = dims[0] * dims[1] * dims[2];
    for (let trial = 0; trial < 3; trial++) {
      const [pred, ref] = [0, 1].map(() => {
        const m = new Uint8Array(n);
        const c = [20 + rng.int(24), 15 + rng.int(18), 5 + rng.int(10)];
        const r = [8 + rng.int(12), 6 + rng.int(10), 2 + rng.int(5)];
        for (let z = 0, i = 0; z < dims[2]; z++)
          for (let y = 0; y < dims[1]; y++)
            for (let x = 0; x < dims[0]; x++, i++)
              m[i] =
                ((x - c[0]) / r[0]) ** 2 + ((y - c[1]) / r[1]) ** 2 + ((z - c[2]) / r[2]) ** 2 <= 1 ||
                rng.uniform() < 0.003
                  ? 1
                  : 0;
        return m;
      });
      const got = surfaceDistances(pred, ref, dims, spacing)!;
      const ps = surfaceMask(pred, dims, 3);
      const rs = surfaceMask(ref, dims, 3);
      const toRef = squaredDistanceTransform(rs, dims, { spacing });
      const toPred = squaredDistanceTransform(ps, dims, { spacing });
      const want = (dist: Float64Array, at: Uint8Array) =>
        Array.from(
          dist.filter((_, i) => at[i] === 1),
          Math.sqrt,
        );
      const a = want(toRef, ps);
      const b = want(toPred, rs);
      expect(got.predToRef.length).toBe(a.length);
      expect(got.refToPred.length).toBe(b.length);
      a.forEach((d, i) => expect(Math.abs(got.predToRef[i] - d)).toBeLessThan(1e-12));
      b.forEach((d, i) => expect(Math.abs(got.refToPred[i] - d)).toBeLessThan(1e-12));
    }
  });
});
