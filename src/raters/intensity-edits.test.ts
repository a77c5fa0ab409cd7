import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { resolveLevel } from './intensity-edits.ts';

describe('resolveLevel', () => {
  it('places a level between the upper medians of two labels, ties and odd/even counts included', () => {
    // Label 1: 9, 3, 1, 3, 5 → sorted 1 3 3 5 9, element ⌊5/2⌋ = 3. Label 2: 8, 2, 8, 4 → sorted 2 4 8 8, element 2 = 8.
    const image = createVolume([9], Int16Array.of(9, 8, 3, 2, 1, 8, 3, 4, 5));
    const truth = Uint8Array.of(1, 2, 1, 2, 1, 2, 1, 2, 1);
    expect(resolveLevel({ between: [1, 2] }, image, truth)).toBe(3 + 0.5 * (8 - 3));
    expect(resolveLevel({ between: [2, 1], at: 0.25 }, image, truth)).toBe(8 + 0.25 * (3 - 8));
  });

  it('is infinite when a label is absent, and passes absolute levels through', () => {
    const image = createVolume([3], Int16Array.of(1, 2, 3));
    expect(resolveLevel({ between: [1, 3] }, image, Uint8Array.of(1, 1, 0))).toBe(Infinity);
    expect(resolveLevel(1500, image, Uint8Array.of(1, 1, 0))).toBe(1500);
  });
});
