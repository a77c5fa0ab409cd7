import { describe, expect, it } from 'vitest';
import { applyIntensityAugmentation, identityIntensityParams, type IntensityParams } from './intensity-augmentation.ts';

const base = () => Float32Array.from([0, 1, 2, 3, 4, 5]);
function apply(change: Partial<IntensityParams>, data = base(), size = [3, 2]): Float32Array {
  applyIntensityAugmentation(data, 0, size, { ...identityIntensityParams(), ...change });
  return data;
}

describe('applyIntensityAugmentation', () => {
  it('leaves the image unchanged with identity parameters', () => {
    expect([...apply({})]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('touches only its own sample of a batch', () => {
    const batch = Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2]);
    applyIntensityAugmentation(batch, 4, [2, 2], { ...identityIntensityParams(), brightness: { factor: 3 } });
    expect([...batch]).toEqual([1, 1, 1, 1, 6, 6, 6, 6]);
  });

  it('scales brightness and contrast as defined (by hand: mean 2.5, contrast ×2 then clipped to [0, 5])', () => {
    expect([...apply({ brightness: { factor: 0.5 } })]).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect([...apply({ contrast: { factor: 2 } })]).toEqual([0, 0, 1.5, 3.5, 5, 5]);
  });

  it('applies gamma on the range-normalised image and restores mean and std', () => {
    const out = apply({ gamma: { gamma: 2, invert: false } });
    // (x/5)² ·5 = 0, 0.2, 0.8, 1.8, 3.2, 5; then affine-mapped back to mean 2.5 and std √(35/12).
    const g = [0, 0.2, 0.8, 1.8, 3.2, 5];
    const gm = g.reduce((a, b) => a + b) / 6;
    const gs = Math.sqrt(g.reduce((a, b) => a + (b - gm) ** 2, 0) / 6);
    const s = Math.sqrt(35 / 12);
    g.forEach((v, i) => expect(out[i]).toBeCloseTo(((v - gm) * s) / gs + 2.5, 5));
    expect([...apply({ gamma: { gamma: 1, invert: true } })].map((v) => +v.toFixed(5))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('adds the same noise for the same seed and different noise for another', () => {
    const a = apply({ noise: { sigma: 0.1, seed: 5 } });
    const b = apply({ noise: { sigma: 0.1, seed: 5 } });
    const c = apply({ noise: { sigma: 0.1, seed: 6 } });
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    expect(Math.max(...a.map((v, i) => Math.abs(v - i)))).toBeLessThan(0.6);
  });

  it('blurs with a normalised kernel: a constant stays constant, a spike spreads and keeps its sum', () => {
    expect(
      [...apply({ blur: { sigma: [1, 1] } }, new Float32Array(12).fill(2), [4, 3])].map((v) => +v.toFixed(5)),
    ).toEqual(new Array(12).fill(2));
    const spike = new Float32Array(15 * 15);
    spike[7 * 15 + 7] = 1;
    const out = apply({ blur: { sigma: [1, 1] } }, spike, [15, 15]);
    expect(out.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    expect(out[7 * 15 + 7]).toBeLessThan(0.2);
    expect(out[7 * 15 + 8]).toBeCloseTo(out[8 * 15 + 7], 7);
  });
});
