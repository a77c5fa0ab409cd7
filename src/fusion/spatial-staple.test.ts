import { describe, expect, it } from 'vitest';
import { dice, discs, flipRater } from '../../test/flip-raters.ts';
import { Rng } from '../random/rng.ts';
import { createVolume } from '../volume/volume.ts';
import { multiLabelStaple } from './multilabel-staple.ts';
import { spatialStaple } from './spatial-staple.ts';
import { staple } from './staple.ts';

const SIZE = 96;
const truth = discs(SIZE, SIZE, [
  [24, 24, 14],
  [70, 26, 18],
  [26, 70, 16],
  [68, 68, 20],
  [48, 48, 8],
]);

/** Rater k is good (error 2 %) in quadrant k and poor (error 35 %) in the other three. */
function quadrantRaters(seed: number) {
  const rng = new Rng(seed);
  return [0, 1, 2, 3].map((k) => {
    const rate = (v: number) => {
      const quadrant = (v % SIZE < SIZE / 2 ? 0 : 1) + (Math.floor(v / SIZE) < SIZE / 2 ? 0 : 2);
      return quadrant === k ? 0.98 : 0.65;
    };
    return createVolume([SIZE, SIZE], flipRater(truth, rate, rate, rng.fork(k)));
  });
}

describe('spatialStaple', () => {
  it('beats global STAPLE in Dice when rater quality varies across the image', () => {
    const raters = quadrantRaters(7);
    const global = staple(raters);
    const spatial = spatialStaple(raters, { blockSize: 8, windowBlocks: 1 });
    const globalDice = dice(global.labels.data, truth);
    const spatialDice = dice(spatial.labels.data, truth);
    expect(spatialDice).toBeGreaterThan(globalDice + 0.05);
    expect(spatial.converged).toBe(true);
  });

  it('equals the raters when they all agree', () => {
    const same = createVolume([SIZE, SIZE], truth);
    const result = spatialStaple([same, same, same]);
    expect(Array.from(result.labels.data)).toEqual(Array.from(truth));
  });

  it('agrees with multi-label STAPLE when rater quality is uniform', () => {
    const rng = new Rng(3);
    const raters = [0.9, 0.85, 0.8, 0.75, 0.9].map((q, k) =>
      createVolume(
        [SIZE, SIZE],
        flipRater(
          truth,
          () => q,
          () => q,
          rng.fork(k),
        ),
      ),
    );
    const a = spatialStaple(raters).labels.data;
    const b = multiLabelStaple(raters).labels.data;
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same / a.length).toBeGreaterThan(0.97);
  });
});
