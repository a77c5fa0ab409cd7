/**
 * The random-error rater (issue 28 §4): its per-structure Dice against the expert matches the systematic
 * non-expert's on phantom cases, it replays from its seed, and adding it to `simulate cardiac` leaves the other
 * raters' files unchanged. Plus a known-answer case of the flipping rule on a 1×8 grid.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { readNifti } from '../io/index.ts';
import { Rng } from '../random/index.ts';
import { createVolume } from '../volume/index.ts';
import { placeRandomErrors, randomErrorRater } from './random-error-rater.ts';
import { simulateCardiacDataset } from './simulate-cardiac.ts';

interface CaseRecord {
  id: string;
  raters: Record<string, string>;
}

function diceOf(a: ArrayLike<number>, b: ArrayLike<number>, label: number): number {
  let both = 0;
  let sum = 0;
  for (let v = 0; v < a.length; v++) {
    const x = a[v] === label ? 1 : 0;
    const y = b[v] === label ? 1 : 0;
    both += x * y;
    sum += x + y;
  }
  return (2 * both) / sum;
}

let root: string;
const RATERS = ['expert', 'nonexpert1', 'nonexpert1-random'];
const simulate = (out: string, seed: number, raters = RATERS) =>
  simulateCardiacDataset({ out, subjects: 2, seed, size: 64, frames: 6, workers: 0, raters });
const casesOf = (dir: string): CaseRecord[] => JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')).cases;
const labelsOf = (dir: string, file: string) => readNifti(join(dir, file)).volume.data as Uint8Array;

beforeAll(async () => {
  root = tempDir('random-error-rater');
  await simulate(join(root, 'a'), 7);
  await simulate(join(root, 'again'), 7);
  await simulate(join(root, 'other'), 8);
  await simulate(join(root, 'without'), 7, ['expert', 'nonexpert1']);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('random-error rater', () => {
  it("has nonexpert1's per-structure Dice against the expert within 0.02 on every phantom case (RV, MYO, LV)", () => {
    const dir = join(root, 'a');
    const cases = casesOf(dir);
    expect(cases).toHaveLength(4);
    for (const c of cases) {
      const expert = labelsOf(dir, c.raters.expert);
      const systematic = labelsOf(dir, c.raters.nonexpert1);
      const random = labelsOf(dir, c.raters['nonexpert1-random']);
      for (const label of [1, 2, 3]) {
        const target = diceOf(systematic, expert, label);
        expect(target, `${c.id} label ${label}`).toBeLessThan(0.99); // the systematic rater does err
        expect(Math.abs(diceOf(random, expert, label) - target), `${c.id} label ${label}`).toBeLessThan(0.02);
      }
      // Its errors are not the systematic rater's: it disagrees with it on voxels where the expert agrees with it.
      let differ = 0;
      for (let v = 0; v < random.length; v++) if (random[v] !== systematic[v]) differ++;
      expect(differ).toBeGreaterThan(100);
    }
  });

  it('writes the same bytes from the same seed, and other masks from another draw of its blobs', () => {
    for (const c of casesOf(join(root, 'a'))) {
      const file = c.raters['nonexpert1-random'];
      expect(readFileSync(join(root, 'again', file)).equals(readFileSync(join(root, 'a', file)))).toBe(true);
      expect(readFileSync(join(root, 'other', file)).equals(readFileSync(join(root, 'a', file)))).toBe(false);
    }
    // Same case, another seed of the blobs alone: other voxels flipped, the same Dice to one voxel.
    const c = casesOf(join(root, 'a'))[0];
    const expert = readNifti(join(root, 'a', c.raters.expert)).volume;
    const systematic = readNifti(join(root, 'a', c.raters.nonexpert1)).volume;
    const options = { labels: [1, 2, 3], bandMm: 8, blobMm: 4 };
    const one = randomErrorRater(expert, systematic, new Rng(1), options);
    const two = randomErrorRater(expert, systematic, new Rng(2), options);
    let differ = 0;
    for (let v = 0; v < one.labels.data.length; v++) if (one.labels.data[v] !== two.labels.data[v]) differ++;
    expect(differ).toBeGreaterThan(100);
    for (let k = 0; k < 3; k++)
      expect(Math.abs((one.structures[k].dice as number) - (two.structures[k].dice as number))).toBeLessThan(0.005);
  });

  it("leaves every other rater's files and the default dataset unchanged when added", () => {
    const withIt = casesOf(join(root, 'a'));
    const without = casesOf(join(root, 'without'));
    expect(without.map((c) => Object.keys(c.raters))).toEqual(without.map(() => ['expert', 'nonexpert1']));
    withIt.forEach((c, i) => {
      for (const r of ['expert', 'nonexpert1'])
        expect(
          readFileSync(join(root, 'a', c.raters[r])).equals(readFileSync(join(root, 'without', without[i].raters[r]))),
        ).toBe(true);
    });
  });

  it('flips the candidates of highest field first, misses to background and false alarms from nearest background', () => {
    // 1×8 grid of 1 mm: reference 0 0 1 1 1 1 0 0 (a = 4), systematic 0 0 0 1 1 1 1 1: target Dice 2·3/(4 + 5) = 2/3.
    // Within 2 mm every voxel is a candidate. The field ranks voxel 5 (inside: a miss), then 7 and 1 (outside: false
    // alarms); Dice 2(a − missed)/(2a − missed + added) is 6/7 after one flip, 6/8 after two, 6/9 = 2/3 after three.
    const shape = [8, 1, 1];
    const reference = createVolume(shape, Uint8Array.from([0, 0, 1, 1, 1, 1, 0, 0]));
    const systematic = createVolume(shape, Uint8Array.from([0, 0, 0, 1, 1, 1, 1, 1]));
    const field = Float32Array.from([-5, 0.5, -1, -2, -3, 3, 0, 2]);
    const result = placeRandomErrors(reference, systematic, [field], { labels: [1], bandMm: 2 });
    expect([...result.labels.data]).toEqual([0, 1, 1, 1, 1, 0, 0, 1]);
    expect(result.structures).toEqual([{ label: 1, target: 2 / 3, dice: 2 / 3, missed: 1, added: 2 }]);
  });

  it('draws nothing for a structure the reference lacks', () => {
    const shape = [4, 1, 1];
    const reference = createVolume(shape, Uint8Array.from([0, 1, 1, 0]));
    const systematic = createVolume(shape, Uint8Array.from([2, 1, 0, 0]));
    const fields = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([4, 3, 2, 1])];
    const result = placeRandomErrors(reference, systematic, fields, { labels: [1, 2] });
    // Label 1: target 2·1/(1 + 2) = 2/3; voxel 3 first (a false alarm: 2·2/5 = 0.8), then voxel 2 (a miss: 2·1/4 =
    // 0.5); 0.8 is the nearer. Label 2 is not in the reference: no candidates, nothing drawn.
    expect([...result.labels.data]).toEqual([0, 1, 1, 1]);
    expect(result.structures[0]).toEqual({ label: 1, target: 2 / 3, dice: 0.8, missed: 0, added: 1 });
    expect(result.structures[1]).toEqual({ label: 2, target: 0, dice: null, missed: 0, added: 0 });
  });
});
