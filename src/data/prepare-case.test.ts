import { describe, expect, it } from 'vitest';
import { boxCase } from '../../test/synthetic-cases.ts';
import { preprocessCase } from './prepare-case.ts';

describe('preprocessCase', () => {
  it('normalises, resamples in-plane and crops to a fixed size, keeping image and label together', () => {
    // A 1 mm box [20, 30)² on a 60×60×4 grid at 1 mm → 2 mm: 30×30, box [10, 15)²; crop 16×16 around the label.
    const c = boxCase('x', [60, 60, 4], [1, 1, 8], [20, 20, 0], [30, 30, 4], 3);
    const p = preprocessCase(c, { targetSpacing: [2, 2, null], size: [16, 16, null], cropAround: 'label' });
    expect(p.image.shape).toEqual([16, 16, 4]);
    expect(p.label.shape).toEqual([16, 16, 4]);
    expect(p.image.spacing).toEqual([2, 2, 8]);
    let labelled = 0;
    let sum = 0;
    for (let i = 0; i < p.image.data.length; i++) {
      sum += p.image.data[i];
      if (p.label.data[i] === 3) {
        labelled++;
        expect(p.image.data[i]).toBeGreaterThan(0);
      }
    }
    expect(labelled).toBe(5 * 5 * 4);
    // The crop holds more box than background would, so the z-scored mean over it is positive.
    expect(sum).toBeGreaterThan(0);
  });

  it('keeps the grid when no resampling or size is asked for, and z-scores by default', () => {
    const c = boxCase('y', [8, 8, 2], [1, 1, 1], [0, 0, 0], [4, 8, 2]);
    const p = preprocessCase(c);
    expect(p.image.shape).toEqual([8, 8, 2]);
    // Half the voxels are 1, half 0: mean ½, std ½, so z = ±1.
    expect(new Set(p.image.data)).toEqual(new Set([1, -1]));
  });
});
