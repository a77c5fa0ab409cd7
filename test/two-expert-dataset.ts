/**
 * A tiny 2D dataset whose experts disagree systematically, for multi-expert training tests: each 16×16 image holds
 * a bright square of half-side 3 px centred at a per-case position; expert `tight` labels the pixels within 2 px
 * (Chebyshev) of the centre, `wide` within 5 px and `mid` within 3 px (the square itself). All cases are training
 * cases, so the trainer keeps the last weights.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveDataset, type Case } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { createVolume } from '../src/volume/volume.ts';

export const EXPERT_REACH: Readonly<Record<string, number>> = { tight: 2, wide: 5, mid: 3 };

/** Writes `cases` cases into `dir` (images/, raters/<expert>/, dataset.json). */
export function writeTwoExpertDataset(dir: string, cases = 6, seed = 5): void {
  const n = 16;
  const rng = new Rng(seed);
  const list: Case[] = [];
  for (let c = 0; c < cases; c++) {
    const id = `case${c}`;
    const ci = 6 + rng.int(4);
    const cj = 6 + rng.int(4);
    const image = new Float32Array(n * n);
    for (let j = 0, p = 0; j < n; j++)
      for (let i = 0; i < n; i++, p++)
        image[p] = (Math.max(Math.abs(i - ci), Math.abs(j - cj)) <= 3 ? 100 : 0) + 5 * rng.normal();
    mkdirSync(join(dir, 'images'), { recursive: true });
    writeNifti(join(dir, 'images', `${id}.nii.gz`), createVolume([n, n], image));
    const raters: Record<string, string> = {};
    for (const [expert, reach] of Object.entries(EXPERT_REACH)) {
      const label = new Uint8Array(n * n);
      for (let j = 0, p = 0; j < n; j++)
        for (let i = 0; i < n; i++, p++) label[p] = Math.max(Math.abs(i - ci), Math.abs(j - cj)) <= reach ? 1 : 0;
      mkdirSync(join(dir, 'raters', expert), { recursive: true });
      writeNifti(join(dir, 'raters', expert, `${id}.nii.gz`), createVolume([n, n], label));
      raters[expert] = `raters/${expert}/${id}.nii.gz`;
    }
    list.push({ id, image: `images/${id}.nii.gz`, raters, meta: { split: 'train' } });
  }
  saveDataset(dir, { name: 'two-expert', labels: { '1': 'square' }, raters: Object.keys(EXPERT_REACH), cases: list });
}
