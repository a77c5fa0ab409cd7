import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
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

  it('agrees with a brute-force ball dilation and erosion on a random anisotropic volume', () => {
    const shape = [12, 11, 4];
    const spacing = [1, 1.2, 2.5];
    const rng = new Rng(5);
    const base = Uint8Array.from({ length: 12 * 11 * 4 }, () => (rng.uniform() < 0.15 ? 1 : 0));
    const at = (i: number, j: number, k: number) => i + 12 * (j + 11 * k);
    for (const mm of [2, 3, -1.3]) {
      const fast = base.slice();
      shiftBoundary(fast, shape, spacing, { region: ONE, mm });
      const slow = base.slice();
      for (let k = 0; k < 4; k++) {
        for (let j = 0; j < 11; j++) {
          for (let i = 0; i < 12; i++) {
            // Grow: any region voxel within |mm|; shrink: any outside voxel within |mm|.
            const want = mm > 0 ? 1 : 0;
            if (base[at(i, j, k)] === want) continue;
            let near = false;
            for (let c = 0; c < 4 && !near; c++) {
              for (let b = 0; b < 11 && !near; b++) {
                for (let a = 0; a < 12 && !near; a++) {
                  const d = Math.hypot((a - i) * spacing[0], (b - j) * spacing[1], (c - k) * spacing[2]);
                  if (base[at(a, b, c)] === want && d <= Math.abs(mm)) near = true;
                }
              }
            }
            if (near) slow[at(i, j, k)] = want;
          }
        }
      }
      expect([...fast], `mm ${mm}`).toEqual([...slow]);
    }
  });
});
