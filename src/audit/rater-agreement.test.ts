import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { departureRegions } from './rater-agreement.ts';

const shape = [12, 12, 8];
const at = (i: number, j: number, k: number) => (k * 12 + j) * 12 + i;

/** A box of label 1 on slices k0…k1 (i, j in 3…8: 36 voxels a slice). */
function box(k0: number, k1: number): Uint8Array {
  const d = new Uint8Array(12 * 12 * 8);
  for (let k = k0; k <= k1; k++) for (let j = 3; j < 9; j++) for (let i = 3; i < 9; i++) d[at(i, j, k)] = 1;
  return d;
}
const vol = (d: Uint8Array) => createVolume(shape, d, { spacing: [1, 1, 2] });

describe('departure regions', () => {
  it('find the slices a rater left out when the other two raters both label them, as missing regions', () => {
    const others = [vol(box(1, 6)), vol(box(1, 6))];
    const rated = vol(box(2, 5)); // leaves out the first and the last slice
    const { regions, map } = departureRegions(rated, others, 2);
    expect(regions).toHaveLength(2);
    for (const r of regions)
      expect(r).toMatchObject({
        kind: 'missing',
        voxels: 36,
        givenLabel: 0,
        predictedLabel: 1,
        meanConfidence: 1,
        meanSelfConfidence: 0,
      });
    expect(regions.map((r) => r.slices).sort((a, b) => a[0] - b[0])).toEqual([
      [1, 1],
      [6, 6],
    ]);
    expect(regions[0].volume_mL).toBeCloseTo(0.072, 12);
    expect(map.data.reduce((a, b) => a + b, 0)).toBe(72); // code 1 on each left-out voxel
    expect(map.data[at(4, 4, 6)]).toBe(1);
  });

  it('are not found where the others split evenly, and are found against a single other rater', () => {
    const rated = vol(box(2, 5));
    expect(departureRegions(rated, [vol(box(1, 6)), vol(box(2, 5))], 2).regions).toEqual([]);
    const alone = departureRegions(rated, [vol(box(1, 6))], 2).regions;
    expect(alone.map((r) => r.voxels)).toEqual([36, 36]);
  });

  it('need a strict majority: two of three others naming another label make an extra region, with confidence 2/3', () => {
    const extra = box(2, 5);
    extra[at(0, 0, 0)] = 1; // one stray voxel: below the size floor below
    for (let j = 0; j < 2; j++) for (let i = 10; i < 12; i++) extra[at(i, j, 3)] = 1; // 4 voxels the others call background
    const others = [vol(box(2, 5)), vol(box(2, 5)), vol(extra)];
    const { regions } = departureRegions(vol(extra), others, 2, { minVoxels: 2 });
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject({
      kind: 'extra',
      voxels: 4,
      givenLabel: 1,
      predictedLabel: 0,
      slices: [3, 3],
      lo: [10, 0, 3],
      hi: [11, 1, 3],
    });
    expect(regions[0].meanConfidence).toBeCloseTo(2 / 3, 6);
  });
});
