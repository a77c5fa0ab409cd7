import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { meanDice, stapleForegroundPercent } from './computed-layers.ts';

const vol = (d: number[]) => createVolume([d.length], Uint8Array.from(d));

describe('meanDice', () => {
  it('averages Dice over the labels either side has', () => {
    // Label 1: |A|=2, |B|=1, |A∩B|=1 → 2/3. Label 2: |A|=1, |B|=2, |A∩B|=1 → 2/3. Label 3 absent from both: skipped.
    expect(meanDice([1, 1, 2, 0], [1, 2, 2, 0], [1, 2, 3])).toBeCloseTo(2 / 3, 12);
    // Label 1 perfect (1), label 2 only in the reference (0) → 0.5.
    expect(meanDice([1, 0], [1, 2], [1, 2])).toBe(0.5);
  });

  it('is null when no label occurs on either side', () => {
    expect(meanDice([0, 0], [0, 0], [1, 2])).toBeNull();
  });
});

describe('stapleForegroundPercent', () => {
  it('is 100 where identical raters say foreground (any label > 0) and 0 elsewhere', () => {
    const raters = [vol([0, 1, 2, 0]), vol([0, 2, 1, 0]), vol([0, 1, 1, 0])];
    expect(Array.from(stapleForegroundPercent(raters).data)).toEqual([0, 100, 100, 0]);
  });

  it('is 0 everywhere when no rater has foreground', () => {
    expect(Array.from(stapleForegroundPercent([vol([0, 0]), vol([0, 0])]).data)).toEqual([0, 0]);
  });
});
