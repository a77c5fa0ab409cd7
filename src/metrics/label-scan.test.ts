import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { scanLabel, scanLabels } from './label-scan.ts';

describe('scanLabel', () => {
  it('gives the counts and union box found voxel by voxel, for present and absent labels', () => {
    const rng = new Rng(3);
    const dims: [number, number, number] = [7, 6, 5];
    const pred = Uint8Array.from({ length: 210 }, () => (rng.uniform() < 0.1 ? 1 + rng.int(4) : 0));
    const ref = Uint8Array.from({ length: 210 }, () => (rng.uniform() < 0.1 ? 1 + rng.int(4) : 0));
    const labels = [4, 1, 2, 9];
    labels.forEach((label) => {
      let tp = 0,
        np = 0,
        nr = 0;
      const lo = [7, 6, 5],
        hi = [-1, -1, -1];
      for (let i = 0; i < 210; i++) {
        const p = pred[i] === label,
          r = ref[i] === label;
        if (p) np++;
        if (r) nr++;
        if (p && r) tp++;
        if (p || r) {
          const c = [i % 7, Math.floor(i / 7) % 6, Math.floor(i / 42)];
          c.forEach((v, a) => ((lo[a] = Math.min(lo[a], v)), (hi[a] = Math.max(hi[a], v))));
        }
      }
      expect(scanLabel(pred, ref, label, dims)).toEqual({
        tp,
        predCount: np,
        refCount: nr,
        lo: label === 9 ? [7, 6, 5] : lo,
        hi,
      });
    });
  });
});

describe('scanLabels', () => {
  it('gives, in one pass, what scanLabel gives for each present label, and empty scans for asked-for absent ones', () => {
    const rng = new Rng(11);
    const dims: [number, number, number] = [9, 4, 6];
    const draw = (base: number): number[] =>
      Array.from({ length: 216 }, () => (rng.uniform() < 0.2 ? base + rng.int(3) : 0));
    for (const make of [
      (v: number[]) => Uint8Array.from(v),
      (v: number[]) => Int16Array.from(v),
      (v: number[]) => Float32Array.from(v),
    ]) {
      const pred = make(draw(1));
      const ref = make(draw(2));
      const scans = scanLabels(pred, ref, dims, [7]);
      expect([...scans.keys()]).toEqual([1, 2, 3, 4, 7]);
      for (const [label, scan] of scans) expect(scan).toEqual(scanLabel(pred, ref, label, dims));
    }
  });
});

describe('scanLabels on byte maps with rows of whole words', () => {
  it('skips background four voxels at a time and finds what the voxel-by-voxel path finds', () => {
    const rng = new Rng(8);
    const dims: [number, number, number] = [12, 5, 4];
    const n = 240;
    // Sparse labels, so whole words are background; one voxel at a word's last byte and one at a row's end.
    const pred = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.05 ? 1 + rng.int(3) : 0));
    const ref = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.05 ? 1 + rng.int(3) : 0));
    pred[3] = 2;
    ref[12 * 3 - 1] = 1;
    // The same values as 16-bit maps go through the voxel-by-voxel path.
    const slow = scanLabels(Uint16Array.from(pred), Uint16Array.from(ref), dims);
    expect(scanLabels(pred, ref, dims)).toEqual(slow);
    // A view at an offset that is not a multiple of 4 takes the voxel-by-voxel path too.
    const shifted = new Uint8Array(n + 1);
    shifted.set(pred, 1);
    expect(scanLabels(shifted.subarray(1), ref, dims)).toEqual(slow);
  });
});

describe('scanLabels on byte maps with agreeing regions', () => {
  it('counts words of one label in both maps at once and finds what the voxel-by-voxel path finds', () => {
    const rng = new Rng(9);
    const dims: [number, number, number] = [16, 6, 3];
    const n = 288;
    // Label 3 fills x 4…11 of every row in both maps (whole agreeing words), label 200 x 0…3 of one row;
    // the prediction has a few flips, so some words agree in three bytes only, one word holds 1, 1, 2, 2 in both.
    const ref = Uint8Array.from({ length: n }, (_, i) => (i % 16 >= 4 && i % 16 < 12 ? 3 : 0));
    ref.fill(200, 16 * 7, 16 * 7 + 4);
    ref.set([1, 1, 2, 2], 16 * 13 + 12);
    const pred = ref.slice();
    for (let k = 0; k < 10; k++) pred[rng.int(n)] = rng.int(4);
    const slow = scanLabels(Uint16Array.from(pred), Uint16Array.from(ref), dims);
    expect([...slow.keys()].filter((v) => v === 3 || v === 200)).toEqual([3, 200]);
    expect(scanLabels(pred, ref, dims)).toEqual(slow);
  });
});
