import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { defaultSlices, overlayFigure } from './overlay-figure.ts';
import { slicePlane } from './slice-plane.ts';

// 3×2×2 volume whose voxel (i, j, k) holds 100k + 10j + i.
const cube = createVolume([3, 2, 2], Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]), {
  spacing: [1, 1, 2],
});

describe('slicePlane', () => {
  it('keeps a k slice as is: columns i, rows j downward', () => {
    const p = slicePlane(cube, 2, 1);
    expect(p.shape).toEqual([3, 2, 1]);
    expect([...p.data]).toEqual([100, 101, 102, 110, 111, 112]);
  });
  it('cuts across i with columns j and k rows upward, repeating k rows for square pixels (2 mm vs 1 mm)', () => {
    const p = slicePlane(cube, 0, 2);
    expect(p.shape).toEqual([2, 4, 1]);
    expect([...p.data]).toEqual([102, 112, 102, 112, 2, 12, 2, 12]);
    expect(p.spacing).toEqual([1, 1, 1]);
    expect([...slicePlane(cube, 0, 2, { squarePixels: false }).data]).toEqual([102, 112, 2, 12]);
  });
  it('takes the frame of a 4D volume', () => {
    const cine = createVolume([1, 1, 1, 3], Float32Array.from([5, 6, 7]));
    expect([...slicePlane(cine, 2, 0, { frame: 2 }).data]).toEqual([7]);
  });
});

describe('overlayFigure', () => {
  it('lays out one row per slice: the image alone, then one tile per label map, outlines in the label colours', () => {
    const image = createVolume([4, 4, 8], new Float32Array(128).fill(50));
    const labels = createVolume([4, 4, 8], new Uint8Array(128).fill(3));
    const { picture, slices, columns } = overlayFigure(image, [labels, labels], { zoom: 2, gap: 1 });
    expect(slices).toEqual([2, 4, 6]);
    expect(columns).toBe(3);
    expect([picture.width, picture.height]).toEqual([3 * 8 + 2, 3 * 8 + 2]);
    const px = (x: number, y: number) => [
      ...picture.data.subarray(3 * (x + picture.width * y), 3 * (x + picture.width * y) + 3),
    ];
    expect(px(0, 0)).toEqual([0, 0, 0]); // a flat image is black under its percentile window
    expect(px(9, 0)).toEqual([255, 70, 60]); // the LV's (label 3) red outline on the second tile's border
    expect(px(8, 0)).toEqual([0, 0, 0]); // the gap
  });
  it('refuses a label map on another grid, naming it', () => {
    const image = createVolume([4, 4, 2], new Float32Array(32));
    expect(() => overlayFigure(image, [createVolume([4, 4, 3], new Uint8Array(48))])).toThrow(
      "overlay: label map 1 grid 4×4×3 differs from the image's 4×4×2",
    );
  });
  it('picks distinct default slices at ¼, ½, ¾', () => {
    expect(defaultSlices(10)).toEqual([2, 5, 7]);
    expect(defaultSlices(2)).toEqual([0, 1]);
    expect(defaultSlices(1)).toEqual([0]);
  });
});
