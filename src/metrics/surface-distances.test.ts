import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { surfaceDistances } from './surface-distances.ts';

/** Surface voxels by the SPEC definition, the slow way: any face-neighbour outside the mask or the grid. */
function naiveSurface(mask: Uint8Array, dims: number[]): number[][] {
  const [nx, ny, nz] = dims;
  const at = (x: number, y: number, z: number) =>
    x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz ? 0 : mask[x + nx * (y + ny * z)];
  const out: number[][] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (!at(x, y, z)) continue;
        if (
          !at(x - 1, y, z) ||
          !at(x + 1, y, z) ||
          !at(x, y - 1, z) ||
          !at(x, y + 1, z) ||
          !at(x, y, z - 1) ||
          !at(x, y, z + 1)
        )
          out.push([x, y, z]);
      }
  return out;
}

function directed(from: number[][], to: number[][], spacing: number[]): number[] {
  return from.map((p) =>
    Math.min(
      ...to.map((q) => Math.hypot((p[0] - q[0]) * spacing[0], (p[1] - q[1]) * spacing[1], (p[2] - q[2]) * spacing[2])),
    ),
  );
}

describe('surfaceDistances', () => {
  it('equals brute force on the full grid for random blobs, including ones touching the border', () => {
    const rng = new Rng(7);
    const dims = [13, 11, 9];
    const spacing = [0.8, 1.3, 3];
    for (let trial = 0; trial < 6; trial++) {
      const masks = [0, 1].map(() => {
        const m = new Uint8Array(13 * 11 * 9);
        const c = [rng.int(13), rng.int(11), rng.int(9)];
        const r = [2 + rng.int(4), 2 + rng.int(4), 1 + rng.int(3)];
        for (let z = 0; z < 9; z++)
          for (let y = 0; y < 11; y++)
            for (let x = 0; x < 13; x++) {
              const d = ((x - c[0]) / r[0]) ** 2 + ((y - c[1]) / r[1]) ** 2 + ((z - c[2]) / r[2]) ** 2;
              m[x + 13 * (y + 11 * z)] = d <= 1 || rng.uniform() < 0.02 ? 1 : 0;
            }
        return m;
      });
      const got = surfaceDistances(masks[0], masks[1], dims, spacing)!;
      const sp = naiveSurface(masks[0], dims);
      const sr = naiveSurface(masks[1], dims);
      const want = [directed(sp, sr, spacing), directed(sr, sp, spacing)];
      expect(Array.from(got.predToRef)).toHaveLength(want[0].length);
      Array.from(got.predToRef).forEach((d, i) => expect(d).toBeCloseTo(want[0][i], 12));
      Array.from(got.refToPred).forEach((d, i) => expect(d).toBeCloseTo(want[1][i], 12));
    }
  });

  it('drops a singleton middle axis, so a 3×3 square in a 5×1×5 grid has an interior voxel', () => {
    // P: 3×3 square around (2, ·, 2); R: its centre voxel. Dropping axis j, ∂P is the 8-voxel ring
    // (4 at 1 mm, 4 at √2 mm from the centre) and ∂R = {centre}, 1 mm from the ring. Were j kept, the grid border
    // would make every voxel a surface voxel, the centre included.
    const pred = new Uint8Array(25);
    for (const x of [1, 2, 3]) for (const z of [1, 2, 3]) pred[x + 5 * z] = 1;
    const ref = new Uint8Array(25);
    ref[2 + 5 * 2] = 1;
    const d = surfaceDistances(pred, ref, [5, 1, 5], [1, 1, 1])!;
    expect(Array.from(d.predToRef).sort()).toEqual([1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2]);
    expect(Array.from(d.refToPred)).toEqual([1]);
  });

  it('is null when a mask is empty', () => {
    expect(surfaceDistances(new Uint8Array(4), Uint8Array.from([1, 0, 0, 0]), [2, 2], [1, 1])).toBeNull();
  });
});
