import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { createVolume } from '../volume/volume.ts';
import { normalizeIntensity, percentileScale, zScoreNormalize } from './normalize-intensity.ts';

const vol = (values: number[]) => createVolume([values.length], Float32Array.from(values));

describe('zScoreNormalize', () => {
  it('uses the population mean and standard deviation (by hand: [1,2,3,4] → mean 2.5, std √1.25)', () => {
    const r = zScoreNormalize(vol([1, 2, 3, 4]));
    expect(r.mean).toBe(2.5);
    expect(r.std).toBeCloseTo(Math.sqrt(1.25), 12);
    const s = Math.sqrt(1.25);
    [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].forEach((v, i) => expect(r.volume.data[i]).toBeCloseTo(v, 6));
  });

  it('takes statistics inside the nonzero mask and zeroes the rest (by hand: {2,4,6} → mean 4, std √(8/3))', () => {
    const r = zScoreNormalize(vol([0, 2, 4, 0, 6]), { mask: 'nonzero' });
    expect(r.count).toBe(3);
    expect(r.mean).toBe(4);
    expect(r.std).toBeCloseTo(Math.sqrt(8 / 3), 12);
    const s = Math.sqrt(8 / 3);
    [0, -2 / s, 0, 0, 2 / s].forEach((v, i) => expect(r.volume.data[i]).toBeCloseTo(v, 6));
  });

  it('takes statistics above a threshold and normalises every voxel (the seed CT rule; by hand: {1000,1400} → mean 1200, std 200)', () => {
    const r = zScoreNormalize(vol([-1000, 40, 1000, 1400]), { above: 900 });
    expect([r.count, r.mean, r.std]).toEqual([2, 1200, 200]);
    [-11, -5.8, -1, 1].forEach((v, i) => expect(r.volume.data[i]).toBeCloseTo(v, 5));
    expect(() => zScoreNormalize(vol([1, 2]), { above: 900 })).toThrow(
      'z-score: no voxel is above 900 in the 2-voxel volume',
    );
  });

  it('maps a constant volume to zeros and refuses an empty mask', () => {
    expect([...zScoreNormalize(vol([3, 3, 3])).volume.data]).toEqual([0, 0, 0]);
    try {
      zScoreNormalize(vol([0, 0]), { mask: 'nonzero' });
      expect.unreachable();
    } catch (e) {
      expect(isMultiraterError(e, 'invalid_argument')).toBe(true);
      expect((e as Error).message).toBe('z-score mask selects no voxel of the 2-voxel volume');
    }
  });
});

describe('percentileScale', () => {
  it('interpolates percentiles between order statistics as numpy (by hand: 25th of [0, 10] is 2.5)', () => {
    expect(percentileScale(vol([10, 0]), { lower: 25, upper: 75 })).toMatchObject({ low: 2.5, high: 7.5 });
    expect(percentileScale(vol([5, 1, 4, 2, 3]), { lower: 50, upper: 100 })).toMatchObject({ low: 3, high: 5 });
  });

  it('clips to the 10th–90th percentiles of 0…100 and scales them to [0, 1]', () => {
    const values = [...Array(101).keys()];
    const r = percentileScale(vol(values), { lower: 10, upper: 90 });
    expect(r.low).toBe(10);
    expect(r.high).toBe(90);
    expect(r.volume.data[5]).toBe(0);
    expect(r.volume.data[50]).toBeCloseTo(0.5, 7);
    expect(r.volume.data[95]).toBe(1);
  });

  it('defaults to 0.5–99.5 and dispatches through normalizeIntensity', () => {
    const values = [...Array(201).keys()];
    const r = percentileScale(vol(values));
    expect(r.low).toBeCloseTo(1, 12);
    expect(r.high).toBeCloseTo(199, 12);
    const n = normalizeIntensity(vol(values), { method: 'percentile' });
    expect([...n.data]).toEqual([...r.volume.data]);
    expect([...normalizeIntensity(vol([1, 2]), { method: 'none' }).data]).toEqual([1, 2]);
  });
});
