/** Diffeomorphic demons: known smooth deformations recovered in 2D and 3D, ITK's kernel, defaults and errors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { gaussianKernel } from '../volume/gaussian-kernel.ts';
import { createVolume, type Volume } from '../volume/volume.ts';
import { demons } from './demons.ts';
import { resolveDemonsOptions, type DemonsOptions } from './demons-options.ts';
import { zeroField, type DisplacementField } from './displacement-field.ts';
import { fieldQuality } from './field-quality.ts';
import { labelDice } from './label-dice.ts';
import { warpImage, warpLabels } from './warp-volume.ts';

/** Two nested discs (labels 1, 2) and a smooth image of them: background 0, ring 60, core 100. */
function phantom2d(n: number, spacing: number[]): { image: Volume; labels: Volume } {
  const labels = new Uint8Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(i - n / 2, j - n / 2);
      labels[j * n + i] = r < n / 6 ? 2 : r < n / 3.5 ? 1 : 0;
    }
  }
  const image = Float32Array.from(labels, (l) => [0, 60, 100][l]);
  return { image: createVolume([n, n], image, { spacing }), labels: createVolume([n, n], labels, { spacing }) };
}

/** A smooth bump displacement of up to `amp` mm along i, centred on the image (the known deformation). */
function bumpField(like: Volume, amp: number): DisplacementField {
  const f = zeroField(like);
  const [n] = like.shape;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const w = Math.exp(-((i - n / 2) ** 2 + (j - n / 2) ** 2) / (2 * (n / 5) ** 2));
      f.components[0][j * n + i] = amp * w;
      f.components[1][j * n + i] = -0.5 * amp * w;
    }
  }
  return f;
}

const dice = (a: ArrayLike<number>, b: ArrayLike<number>, label: number): number => labelDice(a, b, label) ?? 1;

describe('demons', () => {
  it('recovers a known smooth 2D deformation on an anisotropic grid: warped labels Dice ≥ 0.95, no folding', () => {
    const { image, labels } = phantom2d(48, [1.2, 0.9]);
    const truth = bumpField(image, 3.5);
    const fixed = warpImage(image, truth);
    const fixedLabels = warpLabels(labels, truth, 'nearest');
    const before = [1, 2].map((l) => dice(labels.data, fixedLabels.data, l));
    const r = demons(fixed, image, { iterations: 50, levels: 2 });
    const warped = warpLabels(labels, r.field);
    for (const l of [1, 2]) expect(dice(warped.data, fixedLabels.data, l)).toBeGreaterThanOrEqual(0.95);
    expect(Math.min(...before)).toBeLessThan(0.9);
    expect(fieldQuality(r.field).foldingFraction).toBe(0);
    expect(r.levels.map((l) => l.shape)).toEqual([
      [24, 24],
      [48, 48],
    ]);
  });

  it('recovers a known 3D deformation', () => {
    const n = 16;
    const nz = 8;
    const lab = new Uint8Array(n * n * nz);
    const img = new Float32Array(n * n * nz);
    // A ball of radius 5 mm with a soft edge (logistic, 1.5 mm), so the force reaches beyond the boundary voxels.
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const r = Math.hypot(i - 8, j - 8, (k - 4) * 1.5);
          lab[(k * n + j) * n + i] = r < 5 ? 1 : 0;
          img[(k * n + j) * n + i] = 100 / (1 + Math.exp((r - 5) / 1.5));
        }
      }
    }
    const labels = createVolume([n, n, nz], lab, { spacing: [1, 1, 1.5] });
    const image = createVolume([n, n, nz], img, { spacing: [1, 1, 1.5] });
    const truth = zeroField(image);
    truth.components[0].fill(1.2);
    truth.components[2].fill(-0.8);
    const fixed = warpImage(image, truth);
    const fixedLabels = warpLabels(labels, truth);
    const r = demons(fixed, image, { iterations: 100 });
    expect(dice(warpLabels(labels, r.field).data, fixedLabels.data, 1)).toBeGreaterThanOrEqual(0.95);
    expect(dice(labels.data, fixedLabels.data, 1)).toBeLessThan(0.85);
    expect(fieldQuality(r.field).foldingFraction).toBe(0);
  });

  it('bounds every update by maximumUpdateStepLength voxels: one iteration without smoothing moves ≤ 0.5 mm at 1 mm spacing', () => {
    const { image } = phantom2d(32, [1, 1]);
    const fixed = warpImage(image, bumpField(image, 4));
    const r = demons(fixed, image, { iterations: 1, smoothDisplacementField: false });
    expect(fieldQuality(r.field).maxDisplacementMm).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(fieldQuality(r.field).maxDisplacementMm).toBeGreaterThan(0.3);
  });

  it('stops when the RMS change falls below maximumRmsError (identical images: one iteration)', () => {
    const { image } = phantom2d(16, [1, 1]);
    const r = demons(image, image, { iterations: 10 });
    expect(r.levels[0].iterations).toBe(1);
    expect(r.levels[0].rmsChange).toBe(0);
  });

  it("uses ITK's defaults and its σ = 1 discrete Gaussian kernel", () => {
    const o = resolveDemonsOptions();
    expect(o).toMatchObject({
      iterations: [10],
      standardDeviation: 1,
      maximumRmsError: 0.02,
      maximumUpdateStepLength: 0.5,
      gradient: 'symmetric',
      smoothUpdateField: false,
      intensityDifferenceThreshold: 0.001,
    });
    // e^-1·I_n(1) for n = 0, 1, 2 (0.46576, 0.20791, 0.04994), renormalised by their sum with both sides, 0.98146.
    expect([...gaussianKernel(1)].map((c) => +c.toFixed(5))).toEqual([0.47456, 0.21184, 0.05088]);
  });

  it('rejects images on different grids', () => {
    const a = phantom2d(16, [1, 1]).image;
    const b = phantom2d(16, [1, 2]).image;
    expect(() => demons(a, b)).toThrow(/moving image: spacing 1×2 mm differs/);
  });
});

/** A w×h pair of nested ellipses (ring 60, core 100) with Gaussian noise, and the same moved by a smooth bump. */
function noisyPair2d(
  w: number,
  h: number,
  spacing: number[],
  amp: number,
  seed: number,
): { fixed: Volume; moving: Volume } {
  const rng = new Rng(seed);
  const img = new Float32Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const r = Math.hypot((i - w / 2) / w, (j - h / 2) / h);
      img[j * w + i] = (r < 0.17 ? 100 : r < 0.3 ? 60 : 0) + 2 * rng.normal();
    }
  }
  const moving = createVolume([w, h], img, { spacing });
  const truth = zeroField(moving);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const b = Math.exp(-(((i - w / 2) / (w / 5)) ** 2 + ((j - h / 2) / (h / 5)) ** 2) / 2);
      truth.components[0][j * w + i] = amp * b;
      truth.components[1][j * w + i] = -0.6 * amp * b;
    }
  }
  return { fixed: warpImage(moving, truth), moving };
}

/** An nx×ny×nz soft ball (logistic edge) with noise, and the same shifted by (1.2, 0, −0.8) mm. */
function noisyPair3d(nx: number, ny: number, nz: number, seed: number): { fixed: Volume; moving: Volume } {
  const spacing = [1, 1.1, 1.5];
  const rng = new Rng(seed);
  const img = new Float32Array(nx * ny * nz);
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++)
        img[p] =
          100 / (1 + Math.exp((Math.hypot(i - nx / 2, (j - ny / 2) * 1.1, (k - nz / 2) * 1.5) - 4) / 1.5)) +
          rng.normal();
    }
  }
  const moving = createVolume([nx, ny, nz], img, { spacing });
  const truth = zeroField(moving);
  truth.components[0].fill(1.2);
  truth.components[2].fill(-0.8);
  return { fixed: warpImage(moving, truth), moving };
}

/** The pinned cases: every branch of the kernel (2D/3D, pyramid, fluid, gradients, first-order and automatic exponential). */
const PINNED: { name: string; pair: () => { fixed: Volume; moving: Volume }; options: DemonsOptions }[] = [
  {
    name: '2D 40×28 anisotropic, 2 levels',
    pair: () => noisyPair2d(40, 28, [1.2, 0.9], 3, 1),
    options: { iterations: [20, 30], levels: 2 },
  },
  {
    name: '3D 16×12×6, 2 levels (i shrunk only)',
    pair: () => noisyPair3d(16, 12, 6, 2),
    options: { iterations: 30, levels: 2 },
  },
  {
    name: '2D fluid, fixed gradient, first-order exp',
    pair: () => noisyPair2d(24, 30, [1, 1], 2.5, 3),
    options: { iterations: 15, smoothUpdateField: true, gradient: 'fixed', useFirstOrderExp: true },
  },
  {
    name: '2D unbounded step (automatic squarings), warped-moving gradient, σ 1.5',
    pair: () => noisyPair2d(26, 22, [0.8, 1.3], 2, 4),
    options: { iterations: 15, maximumUpdateStepLength: 0, gradient: 'warped-moving', standardDeviation: 1.5 },
  },
  {
    name: '3D 12×10×6 fluid',
    pair: () => noisyPair3d(12, 10, 6, 5),
    options: { iterations: 12, smoothUpdateField: true, updateFieldStandardDeviation: 0.8 },
  },
];

interface PinnedField {
  name: string;
  shape: number[];
  levels: { iterations: number; rmsChange: number; metric: number }[];
  field: string;
}

/**
 * Fields written by the kernel as of commit caf88ee (before issue 25's rewrite for speed), so a faster kernel is
 * held to the same field: float32 components one after another, little-endian, base64.
 */
const REFERENCE = new URL('./demons-reference.json', import.meta.url);
const decode = (text: string): Float32Array => {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

describe('demons field pinned to the kernel before its rewrite for speed', () => {
  const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as PinnedField[];
  it.each(PINNED.map((c, i) => [c.name, c, reference[i]] as const))('%s: the same field to 1e-5 mm', (_, c, ref) => {
    const { fixed, moving } = c.pair();
    const r = demons(fixed, moving, c.options);
    const want = decode(ref.field);
    const got = new Float32Array(want.length);
    r.field.components.reduce((o, comp) => (got.set(comp, o), o + comp.length), 0);
    let maxAbs = 0;
    for (let p = 0; p < want.length; p++) maxAbs = Math.max(maxAbs, Math.abs(got[p] - want[p]));
    expect(r.field.shape).toEqual(ref.shape);
    expect(maxAbs).toBeLessThanOrEqual(1e-5);
    expect(r.levels.map((l) => l.iterations)).toEqual(ref.levels.map((l) => l.iterations));
    r.levels.forEach((l, i) => expect(l.rmsChange).toBeCloseTo(ref.levels[i].rmsChange, 5));
  });
});
