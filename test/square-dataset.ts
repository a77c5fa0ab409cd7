/**
 * The one builder of the tests' "bright square" datasets on disk: each case holds a square centred at a seeded
 * position (the same on every slice), label maps that are functions of a voxel's Chebyshev distance d (pixels) from
 * that centre, and an image of the labels' intensity plus Gaussian noise. Per voxel the maps draw from the
 * generator in the order given, then the noise, so each dataset built on it replays its seed exactly.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveDataset, type Case } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { confusionCounts, confusionMatrix, type ConfusionCounts } from '../src/raters/confusion-matrix.ts';
import { createVolume, type CreateVolumeOptions } from '../src/volume/volume.ts';

export type SquareSplit = 'train' | 'val' | 'test';

/** A label value at Chebyshev distance `d` (pixels); `drawn` holds the maps computed before it at this voxel. */
export type SquareLabel = (d: number, rng: Rng, drawn: Record<string, number>) => number;

export interface SquareDatasetOptions {
  /** dataset.json's name. */
  name: string;
  /** dataset.json's label names. */
  labels: Record<string, string>;
  /** Written shape (i, j[, k]); the square spans every slice. */
  shape: number[];
  /** One split per case, in order. */
  splits: SquareSplit[];
  /** The case id from its index. */
  id: (index: number) => string;
  /** The centre's i and j are drawn uniformly in [margin, size − margin) (pixels). */
  margin: number;
  /** The label maps, computed per voxel in this order. */
  maps: Record<string, SquareLabel>;
  /** Which map is written as the truth (truth/<id>.nii.gz); none when absent. */
  truth?: string;
  /** Rater → the map it draws (raters/<rater>/<id>.nii.gz). */
  raters: Record<string, string>;
  /** Mean image intensity at a voxel from its labels. */
  intensity: (drawn: Record<string, number>, d: number) => number;
  /** Standard deviation of the image noise. */
  noise: number;
  seed: number;
  /** Voxel size (mm) and affine of every volume; createVolume's defaults when absent. */
  grid?: CreateVolumeOptions;
  /** Write each rater's confusion matrix against the truth (pooled counts over all cases) into dataset.json. */
  confusionMatrices?: boolean;
}

/** Writes the dataset into `dir` (images/, truth/, raters/<rater>/, dataset.json). */
export function writeSquareDataset(dir: string, options: SquareDatasetOptions): void {
  const [nx, ny, nz = 1] = options.shape;
  const size = nx * ny * nz;
  const rng = new Rng(options.seed);
  const names = Object.keys(options.maps);
  const raters = Object.keys(options.raters);
  const write = (path: string, data: Float32Array | Uint8Array) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeNifti(join(dir, path), createVolume(options.shape, data, options.grid));
  };
  const pooled = new Map<string, ConfusionCounts>();
  const cases: Case[] = options.splits.map((split, c) => {
    const id = options.id(c);
    const ci = options.margin + rng.int(nx - 2 * options.margin);
    const cj = options.margin + rng.int(ny - 2 * options.margin);
    const image = new Float32Array(size);
    const maps = Object.fromEntries(names.map((m) => [m, new Uint8Array(size)]));
    const drawn: Record<string, number> = {};
    for (let k = 0, p = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++, p++) {
          const d = Math.max(Math.abs(i - ci), Math.abs(j - cj));
          for (const m of names) maps[m][p] = drawn[m] = options.maps[m](d, rng, drawn);
          image[p] = options.intensity(drawn, d) + options.noise * rng.normal();
        }
      }
    }
    write(`images/${id}.nii.gz`, image);
    if (options.truth !== undefined) write(`truth/${id}.nii.gz`, maps[options.truth]);
    for (const r of raters) {
      write(`raters/${r}/${id}.nii.gz`, maps[options.raters[r]]);
      if (options.confusionMatrices)
        pooled.set(r, confusionCounts(maps[options.truth!], maps[options.raters[r]], [0, 1], pooled.get(r)));
    }
    return {
      id,
      image: `images/${id}.nii.gz`,
      ...(options.truth !== undefined ? { truth: `truth/${id}.nii.gz` } : {}),
      raters: Object.fromEntries(raters.map((r) => [r, `raters/${r}/${id}.nii.gz`])),
      meta: { split },
    };
  });
  saveDataset(dir, {
    name: options.name,
    labels: options.labels,
    raters,
    cases,
    ...(options.confusionMatrices
      ? { confusionMatrices: Object.fromEntries([...pooled].map(([r, counts]) => [r, confusionMatrix(counts)])) }
      : {}),
  });
}

/** One split per case: the first `train` cases train, then `val`, then `test`. */
export function squareSplits(counts: { train: number; val?: number; test?: number }): SquareSplit[] {
  return [
    ...Array<SquareSplit>(counts.train).fill('train'),
    ...Array<SquareSplit>(counts.val ?? 0).fill('val'),
    ...Array<SquareSplit>(counts.test ?? 0).fill('test'),
  ];
}
