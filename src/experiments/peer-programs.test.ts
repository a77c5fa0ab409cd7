/**
 * The elastix peer (run only where Debian's elastix is installed): a disc shifted by a known amount is registered
 * back, so the field read from transformix's MetaImage carries the motion in our convention (mm along the voxel
 * axes, fixed → moving) and warps the moving labels onto the fixed ones.
 */
import { describe, expect, it } from 'vitest';
import { labelDice } from '../registration/label-dice.ts';
import { warpLabels } from '../registration/warp-volume.ts';
import { createVolume } from '../volume/volume.ts';
import { elastixPeer, elastixRegisterPairs } from './peer-programs.ts';

const peer = elastixPeer();
const N = 48;
const SPACING = [1.5, 1.25];

/** A smooth disc of radius 9 pixels centred at (cx, cy): image (bump) and label (1 inside). */
function disc(cx: number, cy: number) {
  const image = new Float32Array(N * N);
  const label = new Uint8Array(N * N);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const r = Math.hypot(i - cx, j - cy);
      image[j * N + i] = 100 / (1 + Math.exp((r - 9) / 1.2));
      label[j * N + i] = r <= 9 ? 1 : 0;
    }
  }
  return {
    image: createVolume([N, N], image, { spacing: SPACING }),
    label: createVolume([N, N], label, { spacing: SPACING }),
  };
}

describe.skipIf(!('binary' in peer))('elastix peer', () => {
  it('recovers a 3-pixel shift along i: field ≈ +3 voxels × spacing inside the disc, warped labels on the fixed disc', () => {
    const fixed = disc(22, 24);
    const moving = disc(25, 24);
    const { fields } = elastixRegisterPairs((peer as { binary: string }).binary, [
      { fixed: fixed.image, moving: moving.image },
    ]);
    const field = fields[0];
    const centre = 24 * N + 22;
    // x + u(x) lands in the moving disc: u_i ≈ +3 px = 4.5 mm, u_j ≈ 0.
    expect(field.components[0][centre]).toBeCloseTo(3 * SPACING[0], 0);
    expect(Math.abs(field.components[1][centre])).toBeLessThan(0.5);
    expect(labelDice(warpLabels(moving.label, field).data, fixed.label.data, 1)).toBeGreaterThan(0.95);
    expect(labelDice(moving.label.data, fixed.label.data, 1)).toBeLessThan(0.85);
  }, 60_000);
});
