/**
 * The registration cases of fixtures/nn-wave2.json (PyTorch float64): border-padded 2D/3D warping, scaling and
 * squaring, VoxelMorph's local NCC and l2 smoothness — forward values and the gradients of sum(output × upstream),
 * to 1e-4 relative in float32.
 */
import { describe, it } from 'vitest';
import { expectMatchesReference, referenceCase } from '../../test/reference-cases.ts';
import { type Value } from './graph.ts';
import { gradL2Loss, nccLoss } from '../losses/registration-losses.ts';
import { scalingAndSquaring, warp2d, warp3d } from './warp.ts';

const builders: Record<string, (v: Record<string, Value>) => Value> = {
  warp2d_border: (v) => warp2d(v.image, v.flow),
  warp3d_border: (v) => warp3d(v.image, v.flow),
  scaling_squaring_2d: (v) => scalingAndSquaring(v.v, 7),
  ncc_loss_2d: (v) => nccLoss(v.fixed, v.moving, 9),
  grad_l2_2d: (v) => gradL2Loss(v.flow),
};

describe('nn-wave2.json registration cases (PyTorch float64)', () => {
  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: forward and gradients match PyTorch`, async () => {
      // The fixed image of ncc_loss_2d is a constant of the case, fed as float32 like the inputs.
      await expectMatchesReference(referenceCase('nn-wave2.json', name), build, 1e-4, { constants: 'float32' });
    });
  }
});
