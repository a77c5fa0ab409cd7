import { describe, expect, it } from 'vitest';
import { fusionCases, fusionVolume } from '../../test/fusion-cases.ts';
import { createVolume } from '../volume/volume.ts';
import { majorityVote } from './majority-vote.ts';
import { meanVote } from './mean-vote.ts';

/** One 3-voxel label map per rater, from its voxel values. */
const raterMaps = (...maps: number[][]) => maps.map((d) => createVolume([3], Uint8Array.from(d)));

describe('majorityVote', () => {
  it.each(fusionCases().map((c) => [c.name, c] as const))(
    '%s: equals ITK LabelVotingImageFilter on every non-tie voxel',
    (_, c) => {
      const result = majorityVote(c.raters.map(fusionVolume), { names: c.raters });
      const itk = fusionVolume(c.itkVote).data;
      let compared = 0;
      let differing = 0;
      for (let i = 0; i < itk.length; i++) {
        if (itk[i] === result.undecidedLabel) continue;
        if (result.labels.data[i] !== itk[i]) differing++;
        compared++;
      }
      expect(differing).toBe(0);
      expect(compared).toBeGreaterThan(0);
    },
  );

  it('gives ties the undecided label, by default the largest label + 1', () => {
    // Voxel 0: votes 1,1,2,2 (tie) → 3; voxel 1: 2,2,2,0 → 2; voxel 2: 0,1,2,0 → 0.
    const raters = raterMaps([1, 2, 0], [1, 2, 1], [2, 2, 2], [2, 0, 0]);
    expect(Array.from(majorityVote(raters).labels.data)).toEqual([3, 2, 0]);
    expect(Array.from(majorityVote(raters, { undecidedLabel: 9 }).labels.data)).toEqual([9, 2, 0]);
  });

  it('writes 0 outside the mask', () => {
    const raters = [1, 1, 1].map(() => createVolume([2, 2], Uint8Array.from([1, 1, 1, 1])));
    const mask = createVolume([2, 2], Uint8Array.from([1, 0, 1, 0]));
    expect(Array.from(majorityVote(raters, { mask }).labels.data)).toEqual([1, 0, 1, 0]);
  });
});

describe('meanVote', () => {
  it('returns vote fractions per label and the foreground fraction as probability', () => {
    // 4 raters; voxel 0 has 3 of 4 saying 1, voxel 1 has 2 of 4 (tie → larger label), voxel 2 none.
    const raters = raterMaps([1, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 0]);
    const result = meanVote(raters);
    expect(Array.from(result.probability!.data)).toEqual([0.75, 0.5, 0]);
    expect(Array.from(result.fractions[0])).toEqual([0.25, 0.5, 1]);
    expect(Array.from(result.labels.data)).toEqual([1, 1, 0]);
  });
});
