import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { polygonDelineation, traceContours } from './polygon-delineation.ts';

const REGION = [{ labels: [1], paint: 1, under: 0 }];

describe('polygonDelineation', () => {
  it('traces one closed loop around a pixel and two around diagonal neighbours (saddles split)', () => {
    const one = new Uint8Array(9);
    one[4] = 1;
    const loops = traceContours(one, 3, 3);
    expect(loops).toHaveLength(1);
    expect(loops[0]).toHaveLength(8); // four edge midpoints
    const diagonal = Uint8Array.of(1, 0, 0, 1);
    expect(traceContours(diagonal, 2, 2)).toHaveLength(2);
  });

  it('redraws a filled square with fine vertices as the same square', () => {
    const a = new Uint8Array(20 * 20);
    for (let j = 5; j < 15; j++) for (let i = 5; i < 15; i++) a[i + 20 * j] = 1;
    const out = polygonDelineation(a, [20, 20], [1, 1], new Rng(1), { stepMm: 0.5, regions: REGION });
    expect([...out]).toEqual([...a]);
  });

  it('keeps a ring a ring (even–odd fill), and coarse vertices cut corners', () => {
    const n = 30;
    const ring = new Uint8Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const r = Math.hypot(i - 14.5, j - 14.5);
        ring[i + n * j] = r < 12 && r > 6 ? 1 : 0;
      }
    }
    const out = polygonDelineation(ring, [n, n], [1, 1], new Rng(3), { stepMm: 4, regions: REGION });
    expect(out[14 + n * 14]).toBe(0); // the hole stays empty
    const area = (x: Uint8Array) => x.reduce((s, v) => s + v, 0);
    expect(Math.abs(area(out) - area(ring)) / area(ring)).toBeLessThan(0.15);
    expect(out.some((v, i) => v !== ring[i])).toBe(true);
  });
});
