/** Field composition, the exponential and the Jacobian: hand-derived values and the diffeomorphism property. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { gaussianKernel } from '../volume/gaussian-kernel.ts';
import { smoothSeparable } from '../volume/smooth-separable.ts';
import { createVolume } from '../volume/volume.ts';
import { composeExponentialInto, composeFields, exponentialField } from './compose-fields.ts';
import { zeroField } from './displacement-field.ts';
import { fieldQuality, jacobianDeterminant } from './field-quality.ts';
import { grid3 } from './displacement-field.ts';

const like2d = createVolume([24, 20], new Float32Array(24 * 20), { spacing: [1.5, 1] });

describe('composeFields / exponentialField', () => {
  it('adds constant shifts (s ∘ e = s + e inside the grid)', () => {
    const s = zeroField(like2d);
    const e = zeroField(like2d);
    s.components[0].fill(3);
    e.components[1].fill(-2);
    const c = composeFields(s, e, 'border');
    expect(c.components[0][5 * 24 + 5]).toBeCloseTo(3, 6);
    expect(c.components[1][5 * 24 + 5]).toBeCloseTo(-2, 6);
  });

  it('reads s as zero beyond the grid with zero padding (ITK) and at the border with border padding', () => {
    const s = zeroField(like2d);
    const e = zeroField(like2d);
    s.components[0].fill(1);
    e.components[0].fill(-3 * 1.5); // 3 voxels left of voxel i = 0 is outside
    expect(composeFields(s, e, 'zero').components[0][0]).toBeCloseTo(-4.5, 6);
    expect(composeFields(s, e, 'border').components[0][0]).toBeCloseTo(-3.5, 6);
  });

  it('exponentiates a constant velocity to the same constant displacement', () => {
    const v = zeroField(like2d);
    v.components[0].fill(2.4);
    const e = exponentialField(v, 7, 'border');
    expect(e.components[0][100]).toBeCloseTo(2.4, 5);
  });

  it('integrates a large smooth random velocity into a field with Jacobian determinant > 0 everywhere', () => {
    const like = createVolume([32, 32, 6], new Float32Array(32 * 32 * 6), { spacing: [1, 1, 2.5] });
    const v = zeroField(like);
    const rng = new Rng(3);
    for (const c of v.components) for (let p = 0; p < c.length; p++) c[p] = 12 * rng.normal();
    const g = grid3(like.shape, like.spacing);
    const k = gaussianKernel(3, { maximumError: 0.01 });
    smoothSeparable(v.components, g, [k, k, gaussianKernel(1, { maximumError: 0.01 })]);
    // The velocity alone (Id + v) folds; its exponential does not.
    expect(fieldQuality(v).foldingFraction).toBeGreaterThan(0);
    const phi = exponentialField(v, 7, 'border');
    const q = fieldQuality(phi);
    expect(q.minJacobian).toBeGreaterThan(0);
    expect(q.foldingFraction).toBe(0);
    expect(q.rmsDisplacementMm).toBeGreaterThan(1);
  });
});

describe('composeExponentialInto', () => {
  it.each([
    ['2D', [24, 20], [1.5, 1]],
    ['3D', [12, 10, 5], [1, 1.2, 2.5]],
  ] as const)(
    '%s: the fused last squaring gives exactly s ∘ exp(u), for 0–4 squarings and both paddings',
    (_, shape, spacing) => {
      const like = createVolume([...shape], new Float32Array(shape.reduce((a, b) => a * b, 1)), {
        spacing: [...spacing],
      });
      const rng = new Rng(7);
      const [s, u] = [zeroField(like), zeroField(like)];
      for (const c of [...s.components, ...u.components]) for (let p = 0; p < c.length; p++) c[p] = 2.5 * rng.normal();
      for (const padding of ['zero', 'border'] as const) {
        for (let steps = 0; steps <= 4; steps++) {
          const out = zeroField(like);
          composeExponentialInto(s, u, steps, out, [zeroField(like), zeroField(like)], padding);
          const want = composeFields(s, exponentialField(u, steps, padding), padding);
          out.components.forEach((c, a) => expect(c).toEqual(want.components[a]));
        }
      }
    },
  );
});

describe('jacobianDeterminant', () => {
  it('is 1 for a shift and 1 + a for a linear stretch x ↦ (1 + a)x along i', () => {
    const f = zeroField(like2d);
    f.components[1].fill(5);
    expect([...jacobianDeterminant(f)].every((j) => Math.abs(j - 1) < 1e-6)).toBe(true);
    const a = 0.2;
    for (let j = 0; j < 20; j++) for (let i = 0; i < 24; i++) f.components[0][j * 24 + i] = a * i * 1.5;
    expect(jacobianDeterminant(f)[3 * 24 + 7]).toBeCloseTo(1 + a, 5);
  });
});
