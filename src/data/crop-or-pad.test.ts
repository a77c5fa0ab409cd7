import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import { cropOrPad, cropOrPadVolume, labelBoundingBoxCentre, windowStart } from './crop-or-pad.ts';

const ramp = (nx: number, ny: number) =>
  createVolume(
    [nx, ny],
    new Float32Array(nx * ny).map((_, i) => i),
    { spacing: [2, 3] },
  );

describe('cropOrPad', () => {
  it('crops i and pads j around the centre (by hand: starts ⌊(5 − 3)/2⌋ = 1 and ⌊(2 − 4)/2⌋ = −1)', () => {
    const v = ramp(5, 2);
    const label = createVolume([5, 2], new Uint8Array(10).fill(1), { spacing: [2, 3] });
    const r = cropOrPad(v, label, { size: [3, 4], padValue: -1 });
    expect(r.start).toEqual([1, -1]);
    expect(r.image.shape).toEqual([3, 4]);
    expect([...r.image.data]).toEqual([-1, -1, -1, 1, 2, 3, 6, 7, 8, -1, -1, -1]);
    expect([...r.label.data]).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    // The affine's origin moves by start × spacing: +2 mm along i, −3 mm along j.
    expect(r.image.affine[0][3]).toBe(2);
    expect(r.image.affine[1][3]).toBe(-3);
  });

  it('centres on the label bounding box but stays inside the volume when the window fits', () => {
    const lab = new Uint8Array(10 * 10);
    lab[8 * 10 + 8] = 2;
    lab[9 * 10 + 9] = 2;
    const label = createVolume([10, 10], lab);
    expect(labelBoundingBoxCentre(label)).toEqual([8.5, 8.5]);
    const r = cropOrPad(ramp(10, 10), label, { size: [4, 4], around: 'label' });
    expect(r.start).toEqual([6, 6]);
    expect(r.label.data[3 * 4 + 3]).toBe(2);
    expect(labelBoundingBoxCentre(createVolume([3], new Uint8Array(3)))).toBeNull();
  });

  it('keeps axes given as null whole', () => {
    const v = createVolume(
      [4, 4, 3],
      new Float32Array(48).map((_, i) => i),
    );
    const r = cropOrPad(v, createVolume([4, 4, 3], new Uint8Array(48)), { size: [2, 2, null] });
    expect(r.image.shape).toEqual([2, 2, 3]);
    expect(r.start).toEqual([1, 1, 0]);
    expect(r.image.data[4]).toBe(16 + 5);
  });

  it('places a window by its start, padding past both ends', () => {
    expect(windowStart([5], [9], [2])).toEqual([-2]);
    const r = cropOrPadVolume(createVolume([2], Float32Array.from([7, 8])), [-1], [4], 0);
    expect([...r.data]).toEqual([0, 7, 8, 0]);
  });
});
