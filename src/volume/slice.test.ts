import { describe, expect, it } from 'vitest';
import { extractFrame, extractSlice } from './slice.ts';
import { createVolume, type Affine } from './volume.ts';

const oblique: Affine = [
  [0.8, -0.6, 0.1, 10],
  [0.6, 0.8, 0.2, 20],
  [0, 0, 4, 30],
  [0, 0, 0, 1],
];

/** 4×3×2 volume, value = linear index i + 4j + 12k. */
const vol = () =>
  createVolume(
    [4, 3, 2],
    Int16Array.from({ length: 24 }, (_, i) => i),
    { spacing: [1, 1, 4], affine: oblique },
  );

function world(affine: Affine, p: number[]): number[] {
  return [0, 1, 2].map((r) => affine[r][0] * p[0] + affine[r][1] * p[1] + affine[r][2] * p[2] + affine[r][3]);
}

describe('extractSlice', () => {
  it('cuts across k, j or i with the values written out by hand', () => {
    expect(Array.from(extractSlice(vol(), { index: 1 }).data)).toEqual([
      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    ]);
    // axis 1, j = 2: (i, k) ↦ i + 8 + 12k.
    const sj = extractSlice(vol(), { axis: 1, index: 2 });
    expect(sj.shape).toEqual([4, 2]);
    expect(Array.from(sj.data)).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
    // axis 0, i = 3: (j, k) ↦ 3 + 4j + 12k.
    const si = extractSlice(vol(), { axis: 0, index: 3 });
    expect(si.shape).toEqual([3, 2]);
    expect(si.spacing).toEqual([1, 4]);
    expect(Array.from(si.data)).toEqual([3, 7, 11, 15, 19, 23]);
    expect(si.dtype).toBe('int16');
  });

  it('keeps every voxel at its world position', () => {
    const v = vol();
    for (const axis of [0, 1, 2] as const) {
      const index = axis === 2 ? 1 : 2;
      const s = extractSlice(v, { axis, index });
      const kept = [0, 1, 2].filter((a) => a !== axis);
      for (let b = 0; b < s.shape[1]; b++) {
        for (let a = 0; a < s.shape[0]; a++) {
          const p = [0, 0, 0];
          p[kept[0]] = a;
          p[kept[1]] = b;
          p[axis] = index;
          const expected = world(v.affine, p);
          world(s.affine, [a, b, 0]).forEach((x, r) => expect(x).toBeCloseTo(expected[r], 10));
          expect(s.data[a + s.shape[0] * b]).toBe(v.data[p[0] + 4 * (p[1] + 3 * p[2])]);
        }
      }
    }
  });

  it('rejects an index outside the volume and non-3D input', () => {
    expect(() => extractSlice(vol(), { index: 2 })).toThrow(/outside 0–1/);
    expect(() => extractSlice(createVolume([2, 2], new Uint8Array(4)), { index: 0 })).toThrow(/3D/);
  });
});

describe('extractFrame', () => {
  it('returns frame t of a 4D volume with its spatial geometry', () => {
    const v = createVolume(
      [2, 2, 1, 3],
      Float32Array.from({ length: 12 }, (_, i) => i),
      { spacing: [1.5, 1.5, 8, 40], affine: oblique },
    );
    const f = extractFrame(v, 2);
    expect(f.shape).toEqual([2, 2, 1]);
    expect(f.spacing).toEqual([1.5, 1.5, 8]);
    expect(f.affine).toEqual(oblique);
    expect(Array.from(f.data)).toEqual([8, 9, 10, 11]);
    expect(() => extractFrame(v, 3)).toThrow(/frame 3/);
    expect(() => extractFrame(f, 0)).toThrow(/4D/);
  });
});
