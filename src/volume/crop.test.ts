import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { centredBox, crop } from './crop.ts';
import { createVolume, type Affine } from './volume.ts';

/** A volume whose voxel values are their linear index (so expected crops can be written down by hand). */
function indexVolume(shape: number[], affine?: Affine) {
  const n = shape.reduce((a, b) => a * b, 1);
  return createVolume(
    shape,
    Float32Array.from({ length: n }, (_, i) => i),
    { spacing: shape.map((_, a) => a + 2), affine },
  );
}

function world(affine: Affine, p: number[]): number[] {
  return [0, 1, 2].map((r) => affine[r][0] * p[0] + affine[r][1] * p[1] + affine[r][2] * (p[2] ?? 0) + affine[r][3]);
}

const oblique: Affine = [
  [0.8, -0.6, 0.1, 10],
  [0.6, 0.8, 0.2, 20],
  [0, 0, 4, 30],
  [0, 0, 0, 1],
];

describe('crop', () => {
  it('copies the box and moves the origin to its first voxel', () => {
    const v = indexVolume([4, 3, 2]);
    const c = crop(v, { start: [1, 1, 0], end: [3, 3, 2] });
    // out(i,j,k) = in(i+1, j+1, k) = (i+1) + 4(j+1) + 12k.
    expect(c.shape).toEqual([2, 2, 2]);
    expect(Array.from(c.data)).toEqual([5, 6, 9, 10, 17, 18, 21, 22]);
    expect(c.spacing).toEqual([2, 3, 4]);
    // Diagonal affine diag(2, 3, 4): the origin moves by (1·2, 1·3, 0).
    expect(c.affine.map((r) => r[3])).toEqual([2, 3, 0, 1]);
  });

  it('pads where the box reaches outside, with the fill value', () => {
    const v = indexVolume([3, 2]);
    const c = crop(v, { start: [-1, 0], end: [4, 2] }, { fill: -7 });
    expect(c.shape).toEqual([5, 2]);
    expect(Array.from(c.data)).toEqual([-7, 0, 1, 2, -7, -7, 3, 4, 5, -7]);
  });

  it('keeps every voxel at its world position under an oblique affine', () => {
    const v = indexVolume([6, 5, 4], oblique);
    const start = [2, -1, 1];
    const c = crop(v, { start, end: [5, 3, 4] });
    for (const p of [
      [0, 1, 0],
      [2, 3, 2],
      [1, 2, 1],
    ]) {
      const src = p.map((x, a) => x + start[a]);
      world(c.affine, p).forEach((x, r) => expect(x).toBeCloseTo(world(v.affine, src)[r], 10));
      expect(c.data[p[0] + 3 * (p[1] + 4 * p[2])]).toBe(v.data[src[0] + 6 * (src[1] + 5 * src[2])]);
    }
  });

  it('keeps axes the box omits whole (the frames of a 4D volume)', () => {
    const v = indexVolume([3, 3, 2, 2]);
    const c = crop(v, { start: [1, 1, 1], end: [2, 2, 2] });
    expect(c.shape).toEqual([1, 1, 1, 2]);
    // (1,1,1,t) = 1 + 3 + 9 + 18t.
    expect(Array.from(c.data)).toEqual([13, 31]);
  });

  it('rejects an empty or fractional box', () => {
    const v = indexVolume([3, 3]);
    for (const box of [
      { start: [1, 1], end: [1, 2] },
      { start: [0.5, 0], end: [2, 2] },
      { start: [0, 0, 0], end: [1, 1, 1] },
    ]) {
      expect(() => crop(v, box)).toThrow(/crop box/);
      try {
        crop(v, box);
      } catch (e) {
        expect(isMultiraterError(e, 'invalid_argument')).toBe(true);
      }
    }
  });
});

describe('centredBox', () => {
  it('centres a smaller box and pads symmetrically for a larger one', () => {
    expect(centredBox([10, 10], [4, 6])).toEqual({ start: [3, 2], end: [7, 8] });
    // 10 → 13: floor(-3/2) = -2 voxels before, 1 after.
    expect(centredBox([10], [13])).toEqual({ start: [-2], end: [11] });
  });
});
