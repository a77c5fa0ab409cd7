import { describe, expect, it } from 'vitest';
import { boxCase, syntheticCase } from '../../test/synthetic-cases.ts';
import { buildSamplingPool, type PoolCase } from '../data/sampling-pool.ts';
import { identitySpatialParams, transformPatch, type SpatialParams } from './spatial-transform.ts';

function patch(source: PoolCase, centre: [number, number, number], size: number[], params: SpatialParams) {
  const n = size.reduce((a, b) => a * b, 1);
  const target = { image: new Float32Array(n), label: new Uint8Array(n), offset: 0 };
  transformPatch(source, centre, size, params, target);
  return target;
}

/** The pool entry of a case `id` whose image holds i at voxel (i, j, k) and whose label is 0. */
function rampAlongI(id: string, dims: [number, number, number], spacing: [number, number, number]): PoolCase {
  return buildSamplingPool([
    syntheticCase(
      id,
      dims,
      spacing,
      (i) => i,
      () => 0,
    ),
  ])[0];
}

function params(dims: 2 | 3, change: Partial<SpatialParams>): SpatialParams {
  return { ...identitySpatialParams(dims), ...change };
}

// 3×3 slice with image value 3j + i (and label = the same number), k = 0.
const ramp2d = buildSamplingPool([
  syntheticCase(
    'ramp',
    [3, 3, 1],
    [1, 1, 1],
    (i, j) => 3 * j + i,
    (i, j) => 3 * j + i,
  ),
])[0];
// 3×3×3 volume with value 9k + 3j + i.
const ramp3d = buildSamplingPool([
  syntheticCase(
    'ramp3',
    [3, 3, 3],
    [1, 1, 1],
    (i, j, k) => 9 * k + 3 * j + i,
    (i, j, k) => 9 * k + 3 * j + i,
  ),
])[0];

describe('transformPatch', () => {
  it('copies the window exactly with identity parameters (2D and 3D)', () => {
    const p2 = patch(ramp2d, [1, 1, 0], [3, 3], identitySpatialParams(2));
    expect([...p2.image]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...p2.label]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const p3 = patch(ramp3d, [1, 1, 1], [3, 3, 3], identitySpatialParams(3));
    expect([...p3.image]).toEqual([...Array(27).keys()]);
  });

  it('pads outside the volume with 0 and labels 0', () => {
    // A 2×2 window whose centre (2.5, 2.5) puts three of its voxels past the 3×3 slice's edge.
    const p = patch(ramp2d, [2.5, 2.5, 0], [2, 2], identitySpatialParams(2));
    expect([...p.image]).toEqual([8, 0, 0, 0]);
    expect([...p.label]).toEqual([8, 0, 0, 0]);
  });

  it('mirrors along i and along j (hand-derived: out(i, j) = in(2 − i, j) and in(i, 2 − j))', () => {
    expect([...patch(ramp2d, [1, 1, 0], [3, 3], params(2, { flip: [true, false] })).image]).toEqual([
      2, 1, 0, 5, 4, 3, 8, 7, 6,
    ]);
    expect([...patch(ramp2d, [1, 1, 0], [3, 3], params(2, { flip: [false, true] })).label]).toEqual([
      6, 7, 8, 3, 4, 5, 0, 1, 2,
    ]);
  });

  it('turns the content by 90° from +i toward +j (hand-derived: out(i, j) = in(j, 2 − i) = 3(2 − i) + j)', () => {
    const p = patch(ramp2d, [1, 1, 0], [3, 3], params(2, { rotation: [90] }));
    expect([...p.image]).toEqual([6, 3, 0, 7, 4, 1, 8, 5, 2]);
    expect([...p.label]).toEqual([6, 3, 0, 7, 4, 1, 8, 5, 2]);
    // Four quarter turns give the identity; 180° is both flips.
    const half = patch(ramp2d, [1, 1, 0], [3, 3], params(2, { rotation: [180] }));
    expect([...half.image]).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('rotates in mm on anisotropic pixels (spacing 1 × 2 mm: out at (0, +1 voxel) samples the source 2 voxels along +i)', () => {
    // Source 5×3 slice, value = i; a 90° turn maps output offset (0, 1 voxel = 2 mm) to source offset (+2 mm, 0) = 2 voxels.
    const src = rampAlongI('a', [5, 3, 1], [1, 2, 1]);
    const p = patch(src, [2, 1, 0], [1, 3], params(2, { rotation: [90] }));
    expect([...p.image]).toEqual([0, 2, 4]);
  });

  it('rotates 3D patches by 90° about i (hand-derived: out(i, j, k) = in(i, k, 2 − j))', () => {
    const p = patch(ramp3d, [1, 1, 1], [3, 3, 3], params(3, { rotation: [90, 0, 0] }));
    const expected: number[] = [];
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) expected.push(9 * (2 - j) + 3 * k + i);
    expect([...p.image]).toEqual(expected);
    const flipK = patch(ramp3d, [1, 1, 1], [3, 3, 3], params(3, { flip: [false, false, true] }));
    expect(flipK.image[0]).toBe(18);
  });

  it('zooms about the centre and shifts by mm (hand-derived on a 1D ramp)', () => {
    const src = rampAlongI('r', [9, 1, 1], [2, 1, 1]);
    // Scale 2: out(o) = in(4 + (o − 2)/2) for a 5-voxel window centred at 4.
    expect([...patch(src, [4, 0, 0], [5, 1], params(2, { scale: [2, 1] })).image]).toEqual([3, 3.5, 4, 4.5, 5]);
    // Unshifted, the window holds in(2…6); +4 mm along i at 2 mm voxels moves the content 2 voxels: out(o) = in(o + 2 − 2).
    expect([...patch(src, [4, 0, 0], [5, 1], identitySpatialParams(2)).image]).toEqual([2, 3, 4, 5, 6]);
    expect([...patch(src, [4, 0, 0], [5, 1], params(2, { translation: [4, 0] })).image]).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a bright square on its label under rotation, scaling, shift and elastic deformation (2D)', () => {
    const src = buildSamplingPool([boxCase('box', [40, 40, 3], [1.5, 1.5, 8], [12, 16, 0], [26, 28, 3])])[0];
    const p: SpatialParams = {
      flip: [true, false],
      rotation: [33],
      scale: [1.2, 1.2],
      translation: [3, -2],
      elastic: { magnitude: 2, sigma: 8, seed: 7 },
    };
    const moved = patch(src, [19.5, 19.5, 1], [32, 32], p);
    const still = patch(src, [19.5, 19.5, 1], [32, 32], identitySpatialParams(2));
    expectAligned(moved.image, moved.label, 0.25);
    expect(differences(moved.label, still.label)).toBeGreaterThan(50);
  });

  it('keeps a bright cube on its label under rotation about all axes and elastic deformation (3D, anisotropic)', () => {
    const src = buildSamplingPool([boxCase('cube', [24, 24, 12], [1, 1, 2.5], [7, 8, 3], [17, 16, 8])])[0];
    const p: SpatialParams = {
      flip: [false, true, true],
      rotation: [12, -20, 40],
      scale: [0.9, 0.9, 0.9],
      translation: [1, 2, -2],
      elastic: { magnitude: 1.5, sigma: 6, seed: 3 },
    };
    const moved = patch(src, [11.5, 11.5, 5.5], [20, 20, 10], p);
    const still = patch(src, [11.5, 11.5, 5.5], [20, 20, 10], identitySpatialParams(3));
    expectAligned(moved.image, moved.label, 0.125);
    expect(differences(moved.label, still.label)).toBeGreaterThan(50);
  });
});

/**
 * Nearest-neighbour labels and linear images of a 0/1 box agree: a voxel labelled 1 lies within half a voxel of an
 * inside voxel per axis, so its interpolated value is at least ½ per interpolated axis (¼ in 2D, ⅛ in 3D), and
 * symmetrically a voxel labelled 0 is at most 1 − that; thresholding the image at ½ reproduces the label almost
 * everywhere.
 */
function expectAligned(image: Float32Array, label: Uint8Array, bound: number): void {
  let agree = 0;
  let inside = 0;
  for (let i = 0; i < image.length; i++) {
    if (label[i]) {
      inside++;
      expect(image[i]).toBeGreaterThanOrEqual(bound - 1e-6);
    } else {
      expect(image[i]).toBeLessThanOrEqual(1 - bound + 1e-6);
    }
    if (image[i] >= 0.5 === (label[i] === 1)) agree++;
  }
  expect(inside).toBeGreaterThan(0);
  expect(agree / image.length).toBeGreaterThan(0.99);
}

function differences(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
