/**
 * Propagation on a tiny cine dataset whose motion is known (a disc shifting by one pixel per frame): labels land
 * where the truth is, keep the frame's grid and affine, and bad input leaves nothing on disk.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TINY_CINE_AFFINE as AFFINE,
  TINY_CINE_SIZE as N,
  TINY_CINE_SLICES as SLICES,
  writeTinyCine as writeDataset,
} from '../../test/tiny-cine.ts';
import { readVolume } from '../io/read-volume.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { createVolume } from '../volume/volume.ts';
import { propagateLabels } from './propagate.ts';
import { registerPair } from './register-pair.ts';

const root = mkdtempSync(join(tmpdir(), 'propagate-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = join(root, 'data');
writeDataset(data);

describe('propagateLabels', () => {
  it('writes one case per frame with rater "propagated" on the frame grid and affine, close to the truth', async () => {
    const out = join(root, 'out');
    const r = await propagateLabels(data, out, { method: 'demons', dims: 2, demons: { iterations: 30 } });
    expect(r.frames.map((f) => f.caseId)).toEqual(['s1_ED', 's1_F1', 's1_ES', 's1_F3']);
    expect(r.frames.every((f) => f.foldingFraction === 0 && f.sourceFrame === 0)).toBe(true);
    expect(r.frames[0].truthDice).toEqual({ LV: 1 });
    for (const f of r.frames.slice(1)) expect(f.truthDice?.LV).toBeGreaterThan(0.95);
    const labels = readVolume(join(out, 'raters/propagated/s1_F3.nii.gz'));
    const image = readVolume(join(out, 'images/s1_F3.nii.gz'));
    expect(labels.shape).toEqual([N, N, SLICES]);
    expect(labels.shape).toEqual(image.shape);
    expect(labels.spacing.slice(0, 3)).toEqual(image.spacing.slice(0, 3));
    for (let r0 = 0; r0 < 3; r0++)
      for (let c = 0; c < 4; c++) expect(labels.affine[r0][c]).toBeCloseTo(AFFINE[r0][c], 4);
    expect(readdirSync(root).sort()).toEqual(['data', 'out']);
  });

  it('identity copies the ED labels to every frame; with ES labels too, each frame takes the nearer labelled frame', async () => {
    const r = await propagateLabels(data, join(root, 'identity'), { method: 'identity' });
    expect(r.frames[3].rmsDisplacementMm).toBe(0);
    expect(r.frames[3].truthDice?.LV).toBeLessThan(0.8);
    rmSync(join(root, 'identity'), { recursive: true });
    const both = await propagateLabels(data, join(root, 'identity'), { method: 'identity', fromEs: true });
    // 4 frames around the cycle: frame 1 ties (ED kept), frame 3 is next to ED (0) and to ES (2): ED kept.
    expect(both.frames.map((f) => f.sourceFrame)).toEqual([0, 0, 2, 0]);
    expect(both.frames[2].truthDice?.LV).toBe(1);
    rmSync(join(root, 'identity'), { recursive: true });
  });

  it('an outside registration gets every unlabelled frame in one call; labelled frames keep their labels', async () => {
    const calls: number[] = [];
    const r = await propagateLabels(data, join(root, 'outside'), {
      method: 'identity',
      fromEs: true,
      registerWith: {
        name: 'test peer',
        async registerFrames(pairs) {
          calls.push(pairs.length);
          return Promise.all(
            pairs.map((p) =>
              registerPair(p.fixed, p.moving, { method: 'demons', dims: 2, demons: { iterations: 30 } }),
            ),
          );
        },
      },
    });
    // Frames 1 and 3 are unlabelled (ED = 0, ES = 2): one call with both.
    expect(calls).toEqual([2]);
    expect(r.frames.map((f) => [f.frameIndex, f.sourceFrame, f.rmsDisplacementMm === 0])).toEqual([
      [0, 0, true],
      [1, 0, false],
      [2, 2, true],
      [3, 0, false],
    ]);
    for (const f of r.frames) expect(f.truthDice?.LV).toBeGreaterThan(0.95);
    rmSync(join(root, 'outside'), { recursive: true });
  });

  it('propagates only the subjects of the given splits, up to maxSubjects; none left is an error', async () => {
    await expect(propagateLabels(data, join(root, 'none'), { method: 'identity', splits: ['test'] })).rejects.toThrow(
      /no case in split test names a cine series/,
    );
    await expect(propagateLabels(data, join(root, 'capped'), { method: 'identity', maxSubjects: 0 })).rejects.toThrow(
      /no case names a cine series/,
    );
    expect(existsSync(join(root, 'none')) || existsSync(join(root, 'capped'))).toBe(false);
    const one = await propagateLabels(data, join(root, 'one'), {
      method: 'identity',
      splits: ['train'],
      maxSubjects: 1,
    });
    expect([one.subjects, one.frames.length]).toEqual([1, 4]);
    rmSync(join(root, 'one'), { recursive: true });
  });

  it('writes nothing on bad input: unknown rater, non-empty output, label grid differing from the cine', async () => {
    await expect(propagateLabels(data, join(root, 'bad1'), { method: 'demons', labels: 'nobody' })).rejects.toThrow(
      /no rater "nobody"/,
    );
    const full = join(root, 'full');
    rmSync(full, { recursive: true, force: true });
    writeDataset(full);
    const occupied = join(root, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'notes.txt'), '');
    await expect(propagateLabels(data, occupied, { method: 'demons' })).rejects.toThrow(/exists and is not empty/);
    await expect(propagateLabels(data, root, { method: 'demons' })).rejects.toThrow(
      `${root}: options.outDir holds the input ${data}; choose a folder outside the inputs`,
    );
    writeNifti(
      join(full, 'ed_expert.nii.gz'),
      createVolume([N, N, 1], new Uint8Array(N * N), { spacing: [1.4, 1.4, 6] }),
    );
    await expect(propagateLabels(full, join(root, 'bad2'), { method: 'demons' })).rejects.toThrow(/grid/);
    expect(existsSync(join(root, 'bad1')) || existsSync(join(root, 'bad2'))).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('staging'))).toEqual([]);
    rmSync(full, { recursive: true });
    rmSync(occupied, { recursive: true });
  });
});
