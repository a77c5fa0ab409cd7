import { describe, expect, it } from 'vitest';
import { createVolume } from '../volume/volume.ts';
import {
  addThresholdSums,
  classThresholds,
  emptyThresholdSums,
  selfConfidence,
  softminScore,
  suspiciousRegions,
} from './label-scores.ts';

/** A 20×20×10 truth (a box of label 1) and a model that gives the truth's class probability 0.9 everywhere. */
function world() {
  const shape = [20, 20, 10];
  const V = 4000;
  const truth = new Uint8Array(V);
  for (let k = 2; k < 8; k++)
    for (let j = 5; j < 15; j++) for (let i = 5; i < 15; i++) truth[(k * 20 + j) * 20 + i] = 1;
  const probs = new Float32Array(2 * V);
  for (let v = 0; v < V; v++) {
    probs[truth[v] * V + v] = 0.9;
    probs[(1 - truth[v]) * V + v] = 0.1;
  }
  return { shape, V, truth, probs };
}

describe('suspicious regions', () => {
  it('take a W×H×1 case as 2D: regions touching at a corner are one region (8-connected), as on the W×H grid', () => {
    // Two extra voxels touching at a corner, on a plane the model is sure is background.
    const given = new Uint8Array(16);
    given[5] = 1; // (1, 1)
    given[10] = 1; // (2, 2)
    const probs = new Float32Array(32);
    for (let v = 0; v < 16; v++) ((probs[v] = 0.9), (probs[16 + v] = 0.1));
    for (const shape of [
      [4, 4],
      [4, 4, 1],
    ]) {
      const { regions } = suspiciousRegions(createVolume(shape, given), probs, [0.5, 0.5]);
      expect(regions.map((r) => [r.kind, r.voxels, r.slices])).toEqual([['extra', 2, [0, 0]]]);
    }
  });

  it('find a planted error: a sphere added to the label is the top region, of kind "extra", with its volume and box', () => {
    const { shape, truth, probs } = world();
    const given = Uint8Array.from(truth);
    // A sphere of radius 2 voxels centred at (3, 3, 5): outside the box, so all of it is wrongly labelled 1.
    let planted = 0;
    for (let k = 0; k < 10; k++)
      for (let j = 0; j < 20; j++)
        for (let i = 0; i < 20; i++) {
          if ((i - 3) ** 2 + (j - 3) ** 2 + (k - 5) ** 2 <= 4) ((given[(k * 20 + j) * 20 + i] = 1), planted++);
        }
    // And one wrongly omitted voxel row inside the box (smaller): a "missing" region.
    for (let i = 6; i < 9; i++) given[(4 * 20 + 10) * 20 + i] = 0;
    const labels = createVolume(shape, given, { spacing: [1, 1, 2] });
    const sums = emptyThresholdSums(2);
    addThresholdSums(sums, probs, given);
    const { regions, map } = suspiciousRegions(labels, probs, classThresholds(sums));
    expect(regions[0]).toMatchObject({
      kind: 'extra',
      voxels: planted,
      givenLabel: 1,
      predictedLabel: 0,
      lo: [1, 1, 3],
      hi: [5, 5, 7],
      slices: [3, 7],
    });
    expect(regions[0].volume_mL).toBeCloseTo((planted * 2) / 1000, 12);
    expect(regions[0].meanConfidence).toBeCloseTo(0.9, 6);
    expect(regions[0].meanSelfConfidence).toBeCloseTo(0.1, 6);
    expect(regions[1]).toMatchObject({ kind: 'missing', voxels: 3, givenLabel: 0, predictedLabel: 1 });
    expect(regions).toHaveLength(2);
    // The map codes the kinds (2 extra, 1 missing) on the label's grid.
    expect(map.data[(5 * 20 + 3) * 20 + 3]).toBe(2);
    expect(map.data[(4 * 20 + 10) * 20 + 7]).toBe(1);
    expect(map.data.reduce((a, b) => a + (b > 0 ? 1 : 0), 0)).toBe(planted + 3);
  });

  it('keep one kind per region: a left-out slice touching a wrongly labelled one is a region of its own', () => {
    const { shape, V, truth } = world();
    // Three classes: the box is class 1 on slices 2–7; the model is confident of the truth everywhere.
    const probs = new Float32Array(3 * V);
    for (let v = 0; v < V; v++) {
      for (let c = 0; c < 3; c++) probs[c * V + v] = 0.05;
      probs[truth[v] * V + v] = 0.9;
    }
    const given = Uint8Array.from(truth);
    for (let j = 5; j < 15; j++)
      for (let i = 5; i < 15; i++) {
        given[(7 * 20 + j) * 20 + i] = 0; // slice 7 left out: missing
        given[(6 * 20 + j) * 20 + i] = 2; // slice 6 named as class 2: swapped
      }
    const sums = emptyThresholdSums(3);
    addThresholdSums(sums, probs, truth);
    const { regions } = suspiciousRegions(createVolume(shape, given), probs, [
      ...classThresholds(sums).slice(0, 2),
      0.9,
    ]);
    expect(regions.map((r) => [r.kind, r.voxels, r.slices])).toEqual([
      ['swapped', 100, [6, 6]],
      ['missing', 100, [7, 7]],
    ]);
  });

  it('find nothing where the label agrees with the confident prediction', () => {
    const { shape, truth, probs } = world();
    const sums = emptyThresholdSums(2);
    addThresholdSums(sums, probs, truth);
    expect(suspiciousRegions(createVolume(shape, truth), probs, classThresholds(sums)).regions).toEqual([]);
  });
});

describe('scores', () => {
  it('self-confidence is the probability of the drawn label', () => {
    const probs = Float32Array.from([0.7, 0.2, 0.3, 0.8]); // class 0 then class 1, two voxels
    expect([...selfConfidence(probs, [0, 0], 2)].map((x) => +x.toFixed(6))).toEqual([0.7, 0.2]);
    expect([...selfConfidence(probs, [1, 1], 2)].map((x) => +x.toFixed(6))).toEqual([0.3, 0.8]);
  });

  it("softmin is cleanlab's Σ s·softmax(−s/T): for s = (1, 0.5, 0), T = 0.1 by hand", () => {
    const w = [Math.exp(-10), Math.exp(-5), 1];
    const expected = (1 * w[0] + 0.5 * w[1] + 0 * w[2]) / (w[0] + w[1] + w[2]);
    expect(softminScore([1, 0.5, 0], 0.1)).toBeCloseTo(expected, 14);
    expect(softminScore([0.4, 0.4], 0.1)).toBeCloseTo(0.4, 14);
  });

  it('class thresholds are the mean probability of each class over the voxels labelled with it', () => {
    const sums = emptyThresholdSums(3);
    // Class-major probabilities of three voxels labelled 0, 1, 1: class 0 (0.5, 0.25, 0.25), class 1 (0.5, 0.75, 0).
    // t0 = 0.5 (voxel 0); t1 = (0.75 + 0) / 2 = 0.375 (voxels 1, 2); class 2 never drawn → 1.
    addThresholdSums(sums, Float32Array.from([0.5, 0.25, 0.25, 0.5, 0.75, 0, 0, 0, 0]), [0, 1, 1]);
    expect(classThresholds(sums).map((x) => +x.toFixed(6))).toEqual([0.5, 0.375, 1]);
  });
});
