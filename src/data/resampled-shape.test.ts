import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { resample } from '../volume/resample.ts';
import type { Volume } from '../volume/volume.ts';
import { resampledShape } from './prepare-case.ts';

/** What preprocessing does: resample to the size `resampledShape` gives for the target spacing. */
function toSpacing(v: Volume, spacing: (number | null)[], interpolation: 'linear' | 'nearest'): Volume {
  return resample(v, { shape: resampledShape(v.shape, v.spacing, spacing), interpolation });
}

describe('resampling to a target spacing as preprocessing does', () => {
  it('upsamples linearly with the outer edges kept (by hand: [0, 4] at 2 mm → 1 mm samples 0, 1, 3, 4)', () => {
    // Output voxel o sits at input index (o + ½)/2 − ½ = −¼, ¼, ¾, 1¼, clamped to [0, 1].
    const v = createVolume([2], Float32Array.from([0, 4]), { spacing: [2] });
    const r = toSpacing(v, [1], 'linear');
    expect(r.shape).toEqual([4]);
    expect([...r.data]).toEqual([0, 1, 3, 4]);
    expect(r.spacing).toEqual([1]);
    // Voxel 0's centre is ½ mm before the old voxel 0's centre (edges at −1 mm stay).
    expect(r.affine[0]).toEqual([1, 0, 0, -0.5]);
  });

  it('downsamples labels by nearest neighbour and keeps the dtype (by hand: positions 0.5 and 2.5 round to 1 and 3)', () => {
    const v = createVolume([4], Uint8Array.from([1, 2, 3, 4]), { spacing: [1] });
    const r = toSpacing(v, [2], 'nearest');
    expect(r.data).toBeInstanceOf(Uint8Array);
    expect([...r.data]).toEqual([2, 4]);
  });

  it('resamples only the axes given and updates spacing and affine per axis', () => {
    const data = new Float32Array(4 * 2 * 3).map((_, i) => i);
    const v = createVolume([4, 2, 3], data, { spacing: [1, 1, 10] });
    expect(resampledShape(v.shape, v.spacing, [0.5, null, null])).toEqual([8, 2, 3]);
    const r = toSpacing(v, [0.5, null, null], 'linear');
    expect(r.shape).toEqual([8, 2, 3]);
    expect(r.spacing).toEqual([0.5, 1, 10]);
    expect(r.affine[2]).toEqual([0, 0, 10, 0]);
    // Row j = 1, k = 2 holds input values 20…23; output o = 3 sits at input index 1.25 → 21.25.
    expect(r.data[(2 * 2 + 1) * 8 + 3]).toBeCloseTo(21.25, 6);
  });

  it('returns a copy with the same values when the spacing already matches', () => {
    const v = createVolume([3], Float32Array.from([1, 2, 3]), { spacing: [2] });
    const r = toSpacing(v, [2], 'linear');
    expect([...r.data]).toEqual([1, 2, 3]);
    expect(r.data).not.toBe(v.data);
  });
});
