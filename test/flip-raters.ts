/** Test raters of known quality: a truth mask with voxels flipped at known, seeded rates. */
import { Rng } from '../src/random/rng.ts';

/**
 * A copy of binary `truth` where each foreground voxel is dropped with probability `1 - sensitivity(v)` and each
 * background voxel is added with probability `1 - specificity(v)`; the rates may depend on the voxel index.
 */
export function flipRater(
  truth: Uint8Array,
  sensitivity: (v: number) => number,
  specificity: (v: number) => number,
  rng: Rng,
): Uint8Array {
  const out = new Uint8Array(truth.length);
  for (let v = 0; v < truth.length; v++) {
    const u = rng.uniform();
    out[v] = truth[v] === 1 ? (u < sensitivity(v) ? 1 : 0) : u < 1 - specificity(v) ? 1 : 0;
  }
  return out;
}

/** Dice of two 0/1 masks (1 when both are empty). */
export function dice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === 1 ? 1 : 0;
    const y = b[i] === 1 ? 1 : 0;
    both += x & y;
    sum += x + y;
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}

/** A 0/1 image of `width`×`height` with discs at the given centres and radii (voxels). */
export function discs(width: number, height: number, list: readonly [number, number, number][]): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const [cx, cy, r] of list) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out[y * width + x] = 1;
    }
  }
  return out;
}
