import { describe, expect, it } from 'vitest';
import { braingrowthPhantom } from '../phantom/index.ts';
import { Rng } from '../random/index.ts';
import { applyRater } from './apply-rater.ts';
import { BRAINGROWTH_RATERS, braingrowthRaters } from './braingrowth-raters.ts';
import { maskDice as dice } from '../../test/mask-dice.ts';

/** The seven experts' masks of `cases` phantom cases of side `size`, drawn as `simulate braingrowth` draws them. */
function expertMasks(size: number, cases: number): Uint8Array[][] {
  const root = new Rng(1);
  return Array.from({ length: cases }, (_, c) => {
    const name = `case${String(c + 1).padStart(2, '0')}`;
    const phantom = braingrowthPhantom({ seed: root.fork(`case:${name}`).nextUint32(), size });
    return braingrowthRaters(phantom.labels.spacing[0]).map(
      (model) =>
        applyRater(phantom.labels, phantom.image, model, root.fork(`rater:${model.name}:${name}`).nextUint32())
          .data as Uint8Array,
    );
  });
}

/** Mean over the cases and the ten pairs of experts 1–5 of their Dice. */
function meanPairDice(masks: Uint8Array[][]): number {
  const values = masks.flatMap((m) =>
    [0, 1, 2, 3, 4].flatMap((a) => [0, 1, 2, 3, 4].slice(a + 1).map((b) => dice(m[a], m[b]))),
  );
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe('the brain-growth experts', () => {
  it('at the styles own 0.5 mm pixels are BRAINGROWTH_RATERS, lengths as tuned (an offset of 0.6 mm, polygons every 2.5 mm)', () => {
    expect(braingrowthRaters(0.5)).toEqual(BRAINGROWTH_RATERS);
    expect(BRAINGROWTH_RATERS[1].steps[2]).toMatchObject({ kind: 'shift', mm: 0.6, sd: 0.1 });
    expect(BRAINGROWTH_RATERS[2].steps[1]).toMatchObject({ kind: 'polygon', stepMm: 2.5 });
  });

  it('scale every length with the pixel size: at 2 mm pixels (64 px) four times the 0.5 mm lengths', () => {
    const [fine, coarse] = [braingrowthRaters(0.5), braingrowthRaters(2)];
    expect(coarse[1].steps[2]).toMatchObject({ kind: 'shift', mm: 2.4, sd: 0.4 });
    expect(coarse[2].steps[1]).toMatchObject({ kind: 'polygon', stepMm: 10 });
    expect(coarse[6].steps.at(-1)).toEqual({ kind: 'displace', amplitudeMm: 1.2, correlationMm: 40 });
    expect(coarse.map((m) => m.description)).toEqual(fine.map((m) => m.description));
  });

  it.each([
    [32, 0.92],
    [64, 0.97],
    [256, 0.99],
  ])(
    'at %i px draw differently: no two of experts 1–5 alike on any case, mean pairwise Dice below %f',
    (size, below) => {
      const masks = expertMasks(size, 3);
      for (const m of masks)
        for (let a = 0; a < 5; a++)
          for (let b = a + 1; b < 5; b++) expect(dice(m[a], m[b]), `${a + 1}–${b + 1}`).toBeLessThan(1);
      expect(meanPairDice(masks)).toBeLessThan(below);
    },
  );

  it('at the default 64 px: mean pairwise Dice of experts 1–5 0.93–0.95 on four cases, seg07 the farthest from all', () => {
    const masks = expertMasks(64, 4);
    const mean = meanPairDice(masks);
    expect(mean).toBeGreaterThan(0.93);
    expect(mean).toBeLessThan(0.95);
    // Mean over the cases of each pair's Dice.
    const pair = (a: number, b: number) => masks.reduce((s, m) => s + dice(m[a], m[b]), 0) / masks.length;
    const within = [0, 1, 2, 3, 4].flatMap((a) => [0, 1, 2, 3, 4, 5].filter((b) => b > a).map((b) => pair(a, b)));
    const toSeven = [0, 1, 2, 3, 4, 5].map((a) => pair(a, 6));
    expect(Math.max(...toSeven)).toBeLessThan(Math.min(...within));
  });
});
