import { describe, expect, it } from 'vitest';
import { distanceTransform, squaredDistanceTransform } from './distance-transform.ts';

/** Deterministic pseudo-random bits for test masks (mulberry32). */
function bits(n: number, density: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 < density ? 1 : 0;
  }
  return out;
}

function bruteForce(mask: Uint8Array, shape: number[], spacing: number[]): Float64Array {
  const [nx, ny, nz] = [shape[0], shape[1] ?? 1, shape[2] ?? 1];
  const out = new Float64Array(mask.length).fill(Infinity);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let best = Infinity;
        for (let c = 0; c < nz; c++)
          for (let b = 0; b < ny; b++)
            for (let a = 0; a < nx; a++) {
              if (!mask[a + nx * (b + ny * c)]) continue;
              const d =
                ((x - a) * spacing[0]) ** 2 + ((y - b) * (spacing[1] ?? 1)) ** 2 + ((z - c) * (spacing[2] ?? 1)) ** 2;
              if (d < best) best = d;
            }
        out[x + nx * (y + ny * z)] = best;
      }
  return out;
}

describe('squaredDistanceTransform', () => {
  it('equals brute force on random anisotropic 3D masks', () => {
    for (const [density, seed] of [
      [0.02, 1],
      [0.2, 2],
      [0.6, 3],
    ] as const) {
      const shape = [9, 7, 5];
      const spacing = [1.25, 0.7, 8];
      const mask = bits(9 * 7 * 5, density, seed);
      const got = squaredDistanceTransform(mask, shape, { spacing });
      const want = bruteForce(mask, shape, spacing);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 9);
    }
  });

  it('gives hand-derived distances in 2D: a single feature at the origin', () => {
    const mask = new Uint8Array(12);
    mask[0] = 1;
    const d = distanceTransform(mask, [4, 3], { spacing: [1, 2] });
    // voxel (3, 2): sqrt(3² + (2·2)²) = 5 mm
    expect(d[3 + 4 * 2]).toBeCloseTo(5, 12);
    expect(d[1]).toBe(1);
  });

  it('is Infinity everywhere without feature voxels', () => {
    expect(Array.from(squaredDistanceTransform(new Uint8Array(6), [3, 2]))).toEqual(new Array(6).fill(Infinity));
  });
});
