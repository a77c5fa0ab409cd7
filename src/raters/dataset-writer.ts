/**
 * Writing a simulated dataset in the generic layout (`datasets/dataset.ts`): volumes as .nii.gz under the output
 * folder, cases with relative paths, the true confusion matrix of every rater pooled over all cases with truth,
 * and `dataset.json` last, so a folder without it is an unfinished run. Also the deterministic splits.
 */
import type { Split } from '../datasets/dataset.ts';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { saveDataset, type Case, type Dataset } from '../datasets/dataset.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { Rng } from '../random/rng.ts';
import type { Volume } from '../volume/volume.ts';
import { confusionCounts, confusionMatrix, type ConfusionCounts } from './confusion-matrix.ts';


/** Split of the m-th member of stratum s: PATTERN[(m + s) mod 5], so any five consecutive members split 3/1/1. */
const PATTERN: readonly Split[] = ['train', 'val', 'train', 'test', 'train'];

/**
 * Splits ~60/20/20 per stratum: within each stratum, ids are ordered by a per-id random key and dealt out through
 * a 5-cycle of 3 train, 1 val, 1 test; the cycle starts one step later in each further stratum, so even strata of
 * one id each add up to 60/20/20.
 */
export function assignSplits(ids: readonly string[], strata: readonly string[], seed: number): Map<string, Split> {
  const root = new Rng(seed);
  const groups = new Map<string, { id: string; key: number }[]>();
  ids.forEach((id, n) => {
    const list = groups.get(strata[n]) ?? [];
    list.push({ id, key: root.fork(`split:${id}`).uniform() });
    groups.set(strata[n], list);
  });
  const out = new Map<string, Split>();
  [...groups.values()].forEach((list, s) => {
    list.sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : 1));
    list.forEach(({ id }, m) => out.set(id, PATTERN[(m + s) % PATTERN.length]));
  });
  return out;
}

/** Accumulates cases and confusion counts while writing volumes. */
export class DatasetWriter {
  readonly cases: Case[] = [];
  private readonly counts = new Map<string, ConfusionCounts>();

  constructor(
    readonly root: string,
    private readonly labelValues: readonly number[],
  ) {}

  /** Writes `volume` at `relPath` (relative to the root) with gzip `level` (1 fast … 9 small) and returns the path. */
  write(relPath: string, volume: Volume, level = 6): string {
    const file = join(this.root, relPath);
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      throw new MultiraterError('io_error', `${dirname(file)}: cannot create the folder (${(e as NodeJS.ErrnoException).code})`);
    }
    writeNifti(file, volume, { level });
    return relPath;
  }

  /** Adds a rater's annotation of a case to that rater's confusion counts. */
  count(rater: string, truth: Volume, annotation: Volume): void {
    const c = this.counts.get(rater);
    const next = confusionCounts(truth.data, annotation.data, this.labelValues, c);
    if (!c) this.counts.set(rater, next);
  }

  /** Writes dataset.json with the confusion matrices of `raters` (in that order); returns its path. */
  finish(dataset: Omit<Dataset, 'cases' | 'confusionMatrices'>): string {
    const confusionMatrices: Record<string, unknown> = {};
    for (const r of dataset.raters) {
      const c = this.counts.get(r);
      if (c) confusionMatrices[r] = confusionMatrix(c);
    }
    return saveDataset(this.root, { ...dataset, cases: this.cases, confusionMatrices });
  }
}

/** Zero-padded subject/case number wide enough for `total`. */
export function padded(n: number, total: number): string {
  return String(n).padStart(Math.max(3, String(total).length), '0');
}
