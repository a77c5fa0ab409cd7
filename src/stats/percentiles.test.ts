import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { percentiles } from './percentiles.ts';
import { quantileSorted } from './summary.ts';

const QS = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];

describe('percentiles', () => {
  it('equals numpy-style interpolation on the sorted values, for CT-like integers and skewed floats', () => {
    const rng = new Rng(7);
    // Mostly air (−1000) with soft tissue and a few bright voxels: most values share a handful of bins.
    const ct = Int16Array.from({ length: 20011 }, () =>
      rng.uniform() < 0.6 ? -1000 : Math.round(rng.uniform() * 200 - 100 + (rng.uniform() < 0.01 ? 3000 : 0)),
    );
    // Heavy tail: one huge value pushes almost everything into the first bin.
    const skewed = Float32Array.from({ length: 5003 }, (_, i) => (i === 17 ? 1e9 : rng.uniform() * 10));
    for (const data of [ct, skewed]) {
      const sorted = Array.from(data).sort((a, b) => a - b);
      const got = percentiles(data, QS);
      QS.forEach((q, i) => expect(got[i]).toBe(quantileSorted(sorted, q)));
    }
  });

  it('leaves non-finite values out and handles constant and empty inputs', () => {
    // Finite values 1, 2, 3, 4: median 2.5, p25 at rank 0.75 → 1.75.
    expect(percentiles(Float64Array.from([NaN, 4, 1, Infinity, 3, 2, -Infinity]), [0.25, 0.5])).toEqual([1.75, 2.5]);
    expect(percentiles(new Float32Array(9).fill(-3), [0.1, 0.9])).toEqual([-3, -3]);
    expect(percentiles(Float32Array.from([NaN]), [0.5])).toEqual([null]);
  });
});
