import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { surfaceMask } from './surface.ts';
import { surfacePoints } from './surface-points.ts';

/** The voxels of `surface` (0/1 on the box) as box-relative centres in mm, in voxel order. */
function centres(surface: Uint8Array, dims: readonly number[], spacing: readonly number[]): number[] {
  const out: number[] = [];
  surface.forEach((s, i) => {
    if (s)
      out.push(
        (i % dims[0]) * spacing[0],
        (Math.floor(i / dims[0]) % dims[1]) * spacing[1],
        Math.floor(i / (dims[0] * dims[1])) * spacing[2],
      );
  });
  return out;
}

describe('surfacePoints', () => {
  it('gives the voxels of surfaceMask on the box, flagged where both surfaces meet, for 1, 2 and 3 axes', () => {
    const rng = new Rng(13);
    // Extents across a 32-voxel word boundary and the grid border, blobs of labels 1 and 2 (two halves) with speckle of 1–3.
    const cases: { dims: [number, number, number]; ndim: number }[] = [
      { dims: [70, 9, 7], ndim: 3 },
      { dims: [33, 31, 1], ndim: 2 },
      { dims: [64, 1, 1], ndim: 1 },
      { dims: [1, 1, 1], ndim: 1 },
    ];
    const spacing: [number, number, number] = [0.7, 1.25, 3];
    for (const { dims, ndim } of cases) {
      const n = dims[0] * dims[1] * dims[2];
      for (let trial = 0; trial < 4; trial++) {
        const [pred, ref] = [0, 1].map(() => {
          const c = [rng.int(dims[0]), rng.int(dims[1]), rng.int(dims[2])];
          const r = [2 + rng.int(20), 2 + rng.int(6), 1 + rng.int(3)];
          return Uint8Array.from({ length: n }, (_, i) => {
            const x = [i % dims[0], Math.floor(i / dims[0]) % dims[1], Math.floor(i / (dims[0] * dims[1]))];
            const inside = x.reduce((s, v, a) => s + ((v - c[a]) / r[a]) ** 2, 0) <= 1;
            return inside ? (x[0] < c[0] ? 1 : 2) : rng.uniform() < 0.05 ? 1 + rng.int(3) : 0;
          });
        });
        // The whole grid as the box: every border is the grid's.
        for (const label of [1, 2]) {
          const got = surfacePoints(
            pred,
            ref,
            label,
            dims,
            ndim,
            { lo: [0, 0, 0], hi: [dims[0] - 1, dims[1] - 1, dims[2] - 1] },
            spacing,
          );
          const ps = surfaceMask(
            Uint8Array.from(pred, (v) => (v === label ? 1 : 0)),
            dims,
            ndim,
          );
          const rs = surfaceMask(
            Uint8Array.from(ref, (v) => (v === label ? 1 : 0)),
            dims,
            ndim,
          );
          expect(Array.from(got.pred.xyz)).toEqual(centres(ps, dims, spacing));
          expect(Array.from(got.ref.xyz)).toEqual(centres(rs, dims, spacing));
          expect(got.pred.count).toBe(got.pred.xyz.length / 3);
          expect(Array.from(got.pred.onOther)).toEqual([...ps.keys()].filter((i) => ps[i]).map((i) => rs[i]));
          expect(Array.from(got.ref.onOther)).toEqual([...rs.keys()].filter((i) => rs[i]).map((i) => ps[i]));
        }
      }
    }
  });

  it('reads byte label maps four voxels at a time exactly as voxel by voxel (other types), in any box', () => {
    const rng = new Rng(17);
    const dims: [number, number, number] = [37, 6, 5];
    const n = dims[0] * dims[1] * dims[2];
    for (let trial = 0; trial < 20; trial++) {
      const bytes = [0, 1].map(() => Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 + rng.int(3) : 0)));
      const lo: [number, number, number] = [rng.int(dims[0]), rng.int(dims[1]), rng.int(dims[2])];
      const hi = lo.map((l, a) => l + rng.int(dims[a] - l)) as [number, number, number];
      for (const label of [1, 3]) {
        const byWords = surfacePoints(bytes[0], bytes[1], label, dims, 3, { lo, hi }, [1, 1, 1]);
        const byVoxels = surfacePoints(
          Int16Array.from(bytes[0]),
          Int16Array.from(bytes[1]),
          label,
          dims,
          3,
          { lo, hi },
          [1, 1, 1],
        );
        expect(byWords).toEqual(byVoxels);
      }
    }
  });

  it('inside a box with a background margin, gives the full grid surfaces, relative to the box corner', () => {
    // A 3×3×3 cube at (40…42, 2…4, 1…3) in a 50×8×6 grid: the box (39…43, 1…5, 0…4) has a one-voxel margin.
    const dims: [number, number, number] = [50, 8, 6];
    const pred = new Uint8Array(50 * 8 * 6);
    for (let z = 1; z <= 3; z++)
      for (let y = 2; y <= 4; y++) for (let x = 40; x <= 42; x++) pred[x + 50 * (y + 8 * z)] = 5;
    const ref = pred.slice();
    ref[41 + 50 * (3 + 8 * 2)] = 0; // the centre: R is a hollow cube, so its 26 voxels are all surface
    const got = surfacePoints(pred, ref, 5, dims, 3, { lo: [39, 1, 0], hi: [43, 5, 4] }, [1, 1, 1]);
    expect(got.pred.count).toBe(26);
    expect(got.ref.count).toBe(26);
    expect(got.pred.xyz.slice(0, 3)).toEqual(Float64Array.from([1, 1, 1]));
    expect(Array.from(got.pred.onOther).every((v) => v === 1)).toBe(true);
  });
});
