import { describe, expect, it } from 'vitest';
import { CARDIAC_REGIONS } from './label-regions.ts';
import { shiftBoundary } from './shift-boundary.ts';

const ONE = { labels: [1], paint: 1, under: 0 };
const count = (a: Uint8Array, l = 1) => a.reduce((n, v) => n + (v === l ? 1 : 0), 0);

describe('shiftBoundary', () => {
  it('grows a single voxel into the ball of the given radius (6 face neighbours at 1 mm, 18 more at √2 mm)', () => {
    const shape = [7, 7, 7];
    const make = () => {
      const a = new Uint8Array(343);
      a[3 + 7 * (3 + 7 * 3)] = 1;
      return a;
    };
    const one = make();
    shiftBoundary(one, shape, [1, 1, 1], { region: ONE, mm: 1 });
    expect(count(one)).toBe(7);
    const root2 = make();
    shiftBoundary(root2, shape, [1, 1, 1], { region: ONE, mm: Math.SQRT2 });
    expect(count(root2)).toBe(19);
  });

  it('erodes a 5×5 square by one pixel to its 3×3 core', () => {
    const a = new Uint8Array(81);
    for (let j = 2; j < 7; j++) for (let i = 2; i < 7; i++) a[i + 9 * j] = 1;
    shiftBoundary(a, [9, 9], [1, 1], { region: ONE, mm: -1 });
    expect(count(a)).toBe(9);
    expect(a[4 + 9 * 4]).toBe(1);
    expect(a[2 + 9 * 4]).toBe(0);
  });

  it('respects anisotropic spacing: 1.5 mm does not reach the next slice 10 mm away', () => {
    const a = new Uint8Array(5 * 5 * 3);
    a[2 + 5 * (2 + 5 * 1)] = 1;
    shiftBoundary(a, [5, 5, 3], [1, 1, 10], { region: ONE, mm: 1.5 });
    expect(count(a.subarray(0, 25))).toBe(0);
    expect(count(a.subarray(25, 50))).toBe(9);
  });

  it('takes per-axis distances as an ellipsoid, and a zero third radius as slice-by-slice', () => {
    const a = new Uint8Array(9 * 9);
    a[4 + 9 * 4] = 1;
    shiftBoundary(a, [9, 9], [1, 1], { region: ONE, mm: [3, 1] });
    expect(count(a)).toBe(7 + 2); // 7 along i, plus the two j neighbours
    const b = new Uint8Array(5 * 5 * 3);
    b[2 + 5 * (2 + 5 * 1)] = 1;
    shiftBoundary(b, [5, 5, 3], [1, 1, 1], { region: ONE, mm: [1, 1, 0] });
    expect(count(b)).toBe(5);
  });

  it('shrinks a nested cavity into the wall around it, and grows the epicardium only into background', () => {
    // 1D-like strip: background, RV, MYO, LV, LV, LV, MYO, background
    const labels = Uint8Array.of(0, 1, 2, 3, 3, 3, 2, 0);
    shiftBoundary(labels, [8, 1], [1, 1], { region: CARDIAC_REGIONS[1], mm: -1 });
    expect([...labels]).toEqual([0, 1, 2, 2, 3, 2, 2, 0]);
    shiftBoundary(labels, [8, 1], [1, 1], { region: CARDIAC_REGIONS[0], mm: 1 });
    expect([...labels]).toEqual([0, 1, 2, 2, 3, 2, 2, 2]);
  });
});
