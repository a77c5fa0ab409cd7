import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { FUSION_METHODS, fusionMethod } from './builtins.ts';

describe('fusion registry', () => {
  it('lists the five built-in methods by name', () => {
    expect([...FUSION_METHODS.keys()]).toEqual(['majority', 'mean', 'staple', 'multilabel-staple', 'spatial-staple']);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => fusionMethod('vote')).toThrow(/unknown fusion method "vote" \(expected majority, mean, staple/);
  });

  it.each([[[7]], [[3, 2, 2, 2]]])('every method fuses label maps of shape %j (any dimension)', (shape) => {
    // Three raters: two identical, one differing at voxel 0 → every method follows the two.
    const n = shape.reduce((a, b) => a * b, 1);
    const base = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const odd = Uint8Array.from(base);
    odd[0] = 1 - odd[0];
    const raters = [base, base, odd].map((d) => createVolume(shape, d));
    for (const method of FUSION_METHODS.values()) {
      const result = method.fuse(raters, {});
      expect(result.labels.shape).toEqual(shape);
      expect(Array.from(result.labels.data)).toEqual(Array.from(base));
      expect(result.probability !== null).toBe(method.hasProbability);
    }
  });
});
