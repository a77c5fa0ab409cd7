import { describe, expect, it } from 'vitest';
import { boundingBox } from './bounding-box.ts';
import { crop } from './crop.ts';
import { createVolume } from './volume.ts';

function maskWith(shape: number[], points: number[][]) {
  const data = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  for (const p of points) {
    let k = 0;
    for (let a = shape.length - 1; a >= 0; a--) k = k * shape[a] + p[a];
    data[k] = 1;
  }
  return createVolume(shape, data);
}

describe('boundingBox', () => {
  it('spans the non-zero voxels, end exclusive', () => {
    const v = maskWith(
      [5, 4, 3],
      [
        [1, 2, 0],
        [3, 1, 2],
      ],
    );
    expect(boundingBox(v)).toEqual({ start: [1, 1, 0], end: [4, 3, 3] });
  });

  it('adds a margin clamped to the grid', () => {
    const v = maskWith([5, 4, 3], [[2, 2, 1]]);
    expect(boundingBox(v, { margin: 1 })).toEqual({ start: [1, 1, 0], end: [4, 4, 3] });
    expect(boundingBox(v, { margin: [3, 0, 0] })).toEqual({ start: [0, 2, 1], end: [5, 3, 2] });
  });

  it('is null for an empty mask', () => {
    expect(boundingBox(maskWith([3, 3, 3], []))).toBeNull();
  });

  it('works in 2D and 4D', () => {
    expect(boundingBox(maskWith([6, 6], [[5, 0]]))).toEqual({ start: [5, 0], end: [6, 1] });
    expect(boundingBox(maskWith([2, 2, 2, 4], [[1, 0, 1, 2]]))).toEqual({ start: [1, 0, 1, 2], end: [2, 1, 2, 3] });
  });

  it('gives a crop that keeps every non-zero voxel', () => {
    const v = maskWith(
      [7, 6, 5],
      [
        [1, 4, 2],
        [5, 1, 3],
        [3, 3, 3],
      ],
    );
    const c = crop(v, boundingBox(v)!);
    expect(c.shape).toEqual([5, 4, 2]);
    expect(c.data.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('rejects a negative margin', () => {
    expect(() => boundingBox(maskWith([3, 3], [[1, 1]]), { margin: -1 })).toThrow(/margin/);
  });
});
