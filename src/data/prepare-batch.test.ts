import { describe, expect, it } from 'vitest';
import { boxCase, syntheticCase } from '../../test/synthetic-cases.ts';
import { defaultAugmentation, noAugmentation, type AugmentationConfig } from '../augment/augmentation.ts';
import { prepareBatch, type BatchOptions } from './prepare-batch.ts';
import { buildSamplingPool } from './sampling-pool.ts';
import { transformPatch } from '../augment/spatial-transform.ts';

// Two short-axis-like stacks: a bright box labelled 3 on the middle slices only, other slices empty.
const cases = [
  boxCase('a', [48, 40, 10], [1.5, 1.5, 10], [14, 10, 3], [30, 26, 6], 3),
  boxCase('b', [40, 48, 8], [1.25, 1.25, 8], [8, 20, 2], [22, 34, 5], 3),
];
const pool = buildSamplingPool(cases);

/** Every spatial augmentation on for every sample, intensity ones off. */
function spatialOnly(): AugmentationConfig {
  return {
    ...noAugmentation(),
    flip: { probability: 0.5 },
    rotation: { probability: 1, maxDegrees: 180 },
    scale: { probability: 1, min: 0.8, max: 1.25 },
    translation: { probability: 1, maxMm: 5 },
    elastic: { probability: 1, magnitude: [1, 3], sigma: [6, 10] },
  };
}

function full(): AugmentationConfig {
  const d = defaultAugmentation(2);
  return {
    ...spatialOnly(),
    noise: { ...d.noise, probability: 1 },
    blur: { ...d.blur, probability: 1 },
    brightness: { ...d.brightness, probability: 1 },
    contrast: { ...d.contrast, probability: 1 },
    gamma: { ...d.gamma, probability: 1, invertProbability: 0.5 },
  };
}

const options = (o: Partial<BatchOptions> = {}): BatchOptions => ({
  patchSize: [32, 32],
  batchSize: 4,
  seed: 11,
  augmentation: full(),
  ...o,
});

describe('prepareBatch', () => {
  it('lays out 2D batches as NCHW float32 images and [B, H, W] uint8 labels', () => {
    const b = prepareBatch(pool, options({ patchSize: [32, 24] }), 0);
    expect(b.imageShape).toEqual([4, 1, 24, 32]);
    expect(b.labelShape).toEqual([4, 24, 32]);
    expect(b.image).toBeInstanceOf(Float32Array);
    expect(b.image.length).toBe(4 * 24 * 32);
    expect(b.label).toBeInstanceOf(Uint8Array);
    expect(b.samples).toHaveLength(4);
  });

  it('lays out 3D batches as NCDHW', () => {
    const b = prepareBatch(pool, options({ patchSize: [16, 16, 4], augmentation: defaultAugmentation(3) }), 0);
    expect(b.imageShape).toEqual([4, 1, 4, 16, 16]);
    expect(b.labelShape).toEqual([4, 4, 16, 16]);
  });

  it('gives the same bytes for the same seed and iteration, other bytes for another seed or iteration', () => {
    const a = prepareBatch(pool, options(), 7);
    const b = prepareBatch(pool, options(), 7);
    expect(Buffer.from(a.image.buffer)).toEqual(Buffer.from(b.image.buffer));
    expect(Buffer.from(a.label.buffer)).toEqual(Buffer.from(b.label.buffer));
    expect(a.samples).toEqual(b.samples);
    expect(Buffer.from(prepareBatch(pool, options({ seed: 12 }), 7).image.buffer)).not.toEqual(
      Buffer.from(a.image.buffer),
    );
    expect(Buffer.from(prepareBatch(pool, options(), 8).image.buffer)).not.toEqual(Buffer.from(a.image.buffer));
  });

  it('keeps every sample’s bright box on its label under full spatial augmentation', () => {
    for (let it = 0; it < 3; it++) {
      const b = prepareBatch(
        pool,
        options({ augmentation: spatialOnly(), batchSize: 6, foregroundOversampling: 1 }),
        it,
      );
      for (let s = 0; s < 6; s++) {
        const img = b.image.subarray(s * 1024, (s + 1) * 1024);
        const lab = b.label.subarray(s * 1024, (s + 1) * 1024);
        let agree = 0;
        let labelled = 0;
        for (let i = 0; i < 1024; i++) {
          if (lab[i]) labelled++;
          if (img[i] >= 0.5 === (lab[i] === 3)) agree++;
        }
        expect(labelled).toBeGreaterThan(0);
        expect(agree / 1024).toBeGreaterThan(0.98);
      }
    }
  });

  it('leaves labels and spatial draws unchanged when intensity augmentation is added', () => {
    const spatial = prepareBatch(pool, options({ augmentation: spatialOnly() }), 3);
    const all = prepareBatch(pool, options(), 3);
    expect([...all.label]).toEqual([...spatial.label]);
    expect(all.samples.map((s) => s.augmentation.spatial)).toEqual(spatial.samples.map((s) => s.augmentation.spatial));
    expect([...all.image]).not.toEqual([...spatial.image]);
  });

  it('replays a sample from its record', () => {
    const b = prepareBatch(pool, options({ augmentation: spatialOnly() }), 2);
    const rec = b.samples[1];
    const target = { image: new Float32Array(1024), label: new Uint8Array(1024), offset: 0 };
    transformPatch(pool[rec.caseIndex], rec.centre, [32, 32], rec.augmentation.spatial, target);
    expect([...target.image]).toEqual([...b.image.subarray(1024, 2048)]);
    expect([...target.label]).toEqual([...b.label.subarray(1024, 2048)]);
  });

  it('centres the last round(B · fraction) samples on a labelled voxel', () => {
    // No augmentation: a forced sample's voxel sits at patch index (⌊p/2⌋, ⌊p/2⌋).
    const b = prepareBatch(
      pool,
      options({ augmentation: noAugmentation(), batchSize: 6, foregroundOversampling: 0.5 }),
      0,
    );
    expect(b.samples.map((s) => s.foreground)).toEqual([false, false, false, true, true, true]);
    for (let s = 3; s < 6; s++) expect(b.label[s * 1024 + 16 * 32 + 16]).toBe(3);
  });

  it('never draws an empty slice when the skip probability is 1, and does when it is 0', () => {
    const opts = (p: number) =>
      options({
        augmentation: noAugmentation(),
        batchSize: 8,
        foregroundOversampling: 0,
        emptySliceSkipProbability: p,
      });
    const slices = (p: number) =>
      [...Array(10).keys()].flatMap((k) =>
        prepareBatch(pool, opts(p), k).samples.map((s) => pool[s.caseIndex].sliceForeground[s.centre[2]]),
      );
    expect(slices(1).every((f) => f === 1)).toBe(true);
    expect(slices(0).some((f) => f === 0)).toBe(true);
  });

  it('samples 2D images (nz = 1) such as MNIST digits', () => {
    const digit = syntheticCase(
      'digit',
      [28, 28, 1],
      [1, 1, 1],
      (i, j) => (Math.abs(i - 14) < 4 && Math.abs(j - 14) < 8 ? 1 : 0),
      (i, j) => (Math.abs(i - 14) < 4 && Math.abs(j - 14) < 8 ? 1 : 0),
    );
    const b = prepareBatch(
      buildSamplingPool([digit]),
      options({ patchSize: [28, 28], augmentation: noAugmentation() }),
      0,
    );
    expect([...b.label.subarray(0, 784)]).toEqual([...digit.label.data]);
    expect([...b.image.subarray(0, 784)]).toEqual([...digit.image.data]);
  });

  it('rejects bad options with one-line messages', () => {
    expect(() => prepareBatch(pool, options({ patchSize: [32] }), 0)).toThrow(
      'patch size must be 2 or 3 positive integers, got 32',
    );
    expect(() => prepareBatch(pool, options({ batchSize: 0 }), 0)).toThrow(
      'batch size must be a positive integer, got 0',
    );
    expect(() => prepareBatch(pool, options({ foregroundOversampling: 2 }), 0)).toThrow(
      'foreground oversampling must be within 0–1, got 2',
    );
    expect(() => prepareBatch(pool, options({ seed: 0.5 }), 0)).toThrow('seed must be an integer, got 0.5');
    expect(() => prepareBatch(pool, options(), -1)).toThrow('iteration must be a non-negative integer, got -1');
  });
});
