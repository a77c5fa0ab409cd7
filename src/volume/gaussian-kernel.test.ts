/** The one Gaussian kernel in its two kinds (ITK's discrete, scipy's sampled) and the separable smoothing. */
import { describe, expect, it } from 'vitest';
import { gaussianKernel } from './gaussian-kernel.ts';
import { smoothSeparable } from './smooth-separable.ts';

const round = (k: ArrayLike<number>, d = 5) => Array.from(k, (c) => +c.toFixed(d));

describe('gaussianKernel', () => {
  it("discrete (default): ITK's GaussianOperator, σ = 1 and maximum error 0.1 give 5 taps", () => {
    // e^-1·I_n(1) for n = 0, 1, 2 (0.46576, 0.20791, 0.04994), renormalised by their sum with both sides, 0.98146.
    expect(round(gaussianKernel(1))).toEqual([0.47456, 0.21184, 0.05088]);
    // A smaller maximum error keeps more of the mass: one tap more (e^-1·I_3(1) = 0.00816).
    expect(gaussianKernel(1, { maximumError: 0.01 }).length).toBe(4);
    // σ = 3 would want more; ITK grows while the kernel holds at most maximumKernelWidth coefficients past the centre.
    expect(gaussianKernel(3, { maximumKernelWidth: 2 }).length).toBe(3);
  });

  it("sampled: scipy's gaussian_filter1d weights, radius ceil(truncate·σ)", () => {
    // e^(−m²/2) for m = 0…3 is 1, 0.60653, 0.13534, 0.01111; their sum over −3…3 is 2.50596
    // (truncated: the infinite Gaussian's centre weight would be 1/√(2π) = 0.39894).
    expect(round(gaussianKernel(1, { kind: 'sampled' }))).toEqual([0.39905, 0.24204, 0.05401, 0.00443]);
    expect(gaussianKernel(2.5, { kind: 'sampled' }).length).toBe(9);
    expect(gaussianKernel(0.1, { kind: 'sampled' }).length).toBe(2);
    expect(gaussianKernel(1, { kind: 'sampled', truncate: 4 }).length).toBe(5);
  });

  it('each kind sums to 1 over both sides, and the two kinds differ at the same σ', () => {
    for (const k of [gaussianKernel(1.7), gaussianKernel(1.7, { kind: 'sampled' })])
      expect(k.reduce((s, c, m) => s + (m === 0 ? c : 2 * c), 0)).toBeCloseTo(1, 12);
    expect(gaussianKernel(1)[0]).not.toBeCloseTo(gaussianKernel(1, { kind: 'sampled' })[0], 2);
  });

  it('σ ≤ 0 is the identity kernel', () => {
    expect([...gaussianKernel(0)]).toEqual([1]);
    expect([...gaussianKernel(-1, { kind: 'sampled' })]).toEqual([1]);
  });
});

describe('smoothSeparable', () => {
  const k = Float64Array.of(0.5, 0.25);

  it('spreads a spike into the kernel along each axis; a constant stays constant (edges repeated)', () => {
    const spike = new Float32Array(25);
    spike[12] = 1;
    smoothSeparable([spike], { dims: 2, nx: 5, ny: 5, nz: 1 }, [k, k]);
    // The outer product of [0.25, 0.5, 0.25] with itself around the centre, zero beyond.
    expect([...spike.subarray(5, 20)]).toEqual([
      0, 0.0625, 0.125, 0.0625, 0, 0, 0.125, 0.25, 0.125, 0, 0, 0.0625, 0.125, 0.0625, 0,
    ]);
    const flat = new Float32Array(4 * 3 * 2).fill(3);
    smoothSeparable([flat], { dims: 3, nx: 4, ny: 3, nz: 2 }, [k, gaussianKernel(2), k]);
    expect([...flat]).toEqual(new Array(24).fill(3));
  });

  it('repeats the edge voxel beyond the border: [1, 0, 0] along i gives [0.75, 0.25, 0]', () => {
    const row = Float32Array.of(1, 0, 0);
    smoothSeparable([row], { dims: 1, nx: 3, ny: 1, nz: 1 }, [k]);
    expect([...row]).toEqual([0.75, 0.25, 0]);
  });

  it('gives a 2D plane in one sweep the values of its two passes, and leaves an axis of kernel [1] alone', () => {
    const data = Float32Array.from({ length: 9 * 7 }, (_, p) => Math.sin(p * 1.3) * 10);
    const once = Float32Array.from(data);
    smoothSeparable([once], { dims: 2, nx: 9, ny: 7, nz: 1 }, [gaussianKernel(1.5), gaussianKernel(0.8)]);
    const byAxis = Float32Array.from(data);
    smoothSeparable([byAxis], { dims: 3, nx: 9, ny: 7, nz: 1 }, [gaussianKernel(1.5), Float64Array.of(1), k]);
    smoothSeparable([byAxis], { dims: 3, nx: 9, ny: 7, nz: 1 }, [Float64Array.of(1), gaussianKernel(0.8), k]);
    expect([...once]).toEqual([...byAxis]);
    expect([...once]).not.toEqual([...data]);
  });
});
