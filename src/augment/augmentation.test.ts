import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { defaultAugmentation, drawAugmentation, noAugmentation } from './augmentation.ts';
import { identityIntensityParams } from './intensity-augmentation.ts';
import { identitySpatialParams } from './spatial-transform.ts';

describe('drawAugmentation', () => {
  it('draws identity parameters when every probability is 0', () => {
    for (const dims of [2, 3] as const) {
      expect(drawAugmentation(new Rng(1), noAugmentation(), dims)).toEqual({
        spatial: identitySpatialParams(dims),
        intensity: identityIntensityParams(),
      });
    }
  });

  it('draws the same parameters from the same seed and records them within the configured ranges', () => {
    const config = defaultAugmentation(3);
    const always = {
      ...config,
      rotation: { ...config.rotation, probability: 1 },
      scale: { ...config.scale, probability: 1 },
      translation: { ...config.translation, probability: 1 },
      elastic: { ...config.elastic, probability: 1 },
      gamma: { ...config.gamma, probability: 1 },
    };
    const a = drawAugmentation(new Rng(9), always, 3);
    expect(drawAugmentation(new Rng(9), always, 3)).toEqual(a);
    expect(a.spatial.rotation).toHaveLength(3);
    for (const r of a.spatial.rotation) expect(Math.abs(r)).toBeLessThanOrEqual(30);
    expect(new Set(a.spatial.scale).size).toBe(1);
    expect(a.spatial.scale[0]).toBeGreaterThanOrEqual(0.7);
    expect(a.spatial.scale[0]).toBeLessThan(1.4);
    for (const t of a.spatial.translation) expect(Math.abs(t)).toBeLessThanOrEqual(10);
    expect(a.spatial.elastic?.magnitude).toBeGreaterThanOrEqual(1);
    expect(a.intensity.gamma?.gamma).toBeGreaterThanOrEqual(0.7);
    expect(drawAugmentation(new Rng(10), always, 3)).not.toEqual(a);
  });

  it('limits each 3D rotation axis separately when given a triple', () => {
    const config = {
      ...noAugmentation(),
      rotation: { probability: 1, maxDegrees: [0, 0, 30] as [number, number, number] },
    };
    const r = drawAugmentation(new Rng(4), config, 3).spatial.rotation;
    expect(r.slice(0, 2).map(Math.abs)).toEqual([0, 0]);
    expect(Math.abs(r[2])).toBeGreaterThan(0);
    expect(Math.abs(r[2])).toBeLessThanOrEqual(30);
  });

  it('keeps the other transforms’ draws when one transform’s setting changes', () => {
    const config = { ...defaultAugmentation(2), rotation: { probability: 1, maxDegrees: 180 } };
    const a = drawAugmentation(new Rng(3), config, 2);
    const b = drawAugmentation(new Rng(3), { ...config, noise: { probability: 1, maxVariance: 0.1 } }, 2);
    expect(b.spatial).toEqual(a.spatial);
    expect(b.intensity.gamma).toEqual(a.intensity.gamma);
    expect(b.intensity.noise).not.toBeNull();
  });
});
