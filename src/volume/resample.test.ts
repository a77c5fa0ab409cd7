import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { resample } from './resample.ts';
import { createVolume, type Affine } from './volume.ts';

const oblique: Affine = [
  [0.8, -0.6, 0.1, 10],
  [0.6, 0.8, 0.2, 20],
  [0, 0, 4, 30],
  [0, 0, 0, 1],
];

function world(affine: Affine, p: number[]): number[] {
  return [0, 1, 2].map((r) => affine[r][0] * p[0] + affine[r][1] * p[1] + affine[r][2] * p[2] + affine[r][3]);
}

describe('resample', () => {
  it('halves a row: linear averages pairs, nearest takes the upper of each pair', () => {
    // n = 4 → 2, r = 2, c = 1.5 − 0.5·2 = 0.5: samples at x = 0.5 and 2.5.
    const v = createVolume([4, 2], Float32Array.from([0, 10, 20, 30, 1, 2, 3, 4]));
    const lin = resample(v, { spacing: [2, 1], interpolation: 'linear' });
    expect(lin.shape).toEqual([2, 2]);
    expect(Array.from(lin.data)).toEqual([5, 25, 1.5, 3.5]);
    expect(lin.spacing).toEqual([2, 1]);
    expect(lin.affine[0]).toEqual([2, 0, 0, 0.5]);
    const near = resample(v, { spacing: [2, 1], interpolation: 'nearest' });
    expect(Array.from(near.data)).toEqual([10, 30, 2, 4]);
  });

  it('doubles a row with edge samples clamped (scipy zoom, grid_mode=True, mode="nearest")', () => {
    // n = 2 → 4, r = 0.5, c = 0.5 − 1.5·0.5 = −0.25: x = −0.25, 0.25, 0.75, 1.25.
    const v = createVolume([2, 1], Uint8Array.from([0, 10]));
    const lin = resample(v, { shape: [4, 1], interpolation: 'linear' });
    expect(lin.dtype).toBe('float32');
    expect(Array.from(lin.data)).toEqual([0, 2.5, 7.5, 10]);
    expect(lin.affine[0][3]).toBeCloseTo(-0.25, 12);
    const near = resample(v, { shape: [4, 1], interpolation: 'nearest' });
    expect(near.dtype).toBe('uint8');
    expect(Array.from(near.data)).toEqual([0, 0, 10, 10]);
  });

  it('samples a linear function of world position exactly at the new voxel centres (oblique affine)', () => {
    const shape = [8, 6, 5];
    const f = (w: number[]) => 3 * w[0] - 2 * w[1] + 0.5 * w[2];
    const data = new Float64Array(8 * 6 * 5);
    for (let k = 0; k < 5; k++)
      for (let j = 0; j < 6; j++) for (let i = 0; i < 8; i++) data[i + 8 * (j + 6 * k)] = f(world(oblique, [i, j, k]));
    const v = createVolume(shape, data, { spacing: [1, 1, Math.hypot(0.1, 0.2, 4)], affine: oblique });
    const out = resample(v, { spacing: [2, 2, v.spacing[2] * 2.5], interpolation: 'linear' });
    expect(out.shape).toEqual([4, 3, 2]);
    // Downsampling never clamps here (samples at x = 0.5…6.5, y = 0.5…4.5, z = 0.75, 3.25), so it is exact.
    for (let k = 0; k < 2; k++)
      for (let j = 0; j < 3; j++)
        for (let i = 0; i < 4; i++)
          expect(out.data[i + 4 * (j + 3 * k)]).toBeCloseTo(f(world(out.affine, [i, j, k])), 9);
    expect(out.spacing[2]).toBeCloseTo(Math.hypot(0.1, 0.2, 4) * 2.5, 12);
  });

  it('resamples every frame of a 4D volume alike and keeps the time spacing', () => {
    const v = createVolume([2, 2, 1, 2], Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8]), { spacing: [1, 1, 1, 30] });
    const out = resample(v, { spacing: [2, 2, 1], interpolation: 'nearest' });
    expect(out.shape).toEqual([1, 1, 1, 2]);
    expect(out.spacing).toEqual([2, 2, 1, 30]);
    // c = 0.5: nearest of x = 0.5 goes up to index 1 on both axes → voxel (1, 1) of each frame.
    expect(Array.from(out.data)).toEqual([4, 8]);
  });

  it('keeps a label map’s labels under nearest interpolation', () => {
    const data = new Uint8Array(10 * 10 * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 4;
    const out = resample(createVolume([10, 10, 4], data, { spacing: [1, 1, 3] }), {
      spacing: [0.7, 0.7, 1.1],
      interpolation: 'nearest',
    });
    expect(out.shape).toEqual([14, 14, 11]);
    expect(new Set(out.data)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('rejects a missing or doubled target and a wrong axis count', () => {
    const v = createVolume([2, 2, 2], new Uint8Array(8));
    for (const options of [
      { interpolation: 'linear' as const },
      { spacing: [1, 1, 1], shape: [2, 2, 2], interpolation: 'linear' as const },
      { spacing: [1, 1], interpolation: 'linear' as const },
      { spacing: [1, 0, 1], interpolation: 'nearest' as const },
    ]) {
      try {
        resample(v, options);
        throw new Error('expected an error');
      } catch (e) {
        expect(isMultiraterError(e, 'invalid_argument')).toBe(true);
      }
    }
  });
});
