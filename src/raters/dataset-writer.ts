/**
 * Writing a simulated dataset in the generic layout (`datasets/dataset.ts`): volumes as .nii.gz under the output
 * folder, cases with relative paths, the true confusion matrix of every rater pooled over all cases with truth,
 * and `dataset.json` last, so a folder without it is an unfinished run. Also the deterministic splits.
 */
import type { Split } from '../datasets/index.ts';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { saveDataset, type Case, type Dataset } from '../datasets/index.ts';
import { assertFolderOutput } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { Rng } from '../random/index.ts';
import type { Volume } from '../volume/index.ts';
import { applyRater, type RaterModel } from './apply-rater.ts';
import { confusionCounts, confusionMatrix, type ConfusionCounts } from './confusion-matrix.ts';
import { splitCounts, type SimulateResult } from './simulate-result.ts';

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
  /**
   * Cases collected so far, paths relative to `root` (callers push theirs, `absorb` adds a part's); `finish` writes
   * them.
   */
  readonly cases: Case[] = [];
  private readonly counts = new Map<string, ConfusionCounts>();

  /** Throws `output_conflict` when `root` is an existing file, before anything is written. */
  constructor(
    /** Output folder the dataset is written under; case paths are relative to it. */
    readonly root: string,
    private readonly labelValues: readonly number[],
  ) {
    assertFolderOutput('options.out', root);
  }

  /**
   * Writes `volume` at `relPath` (relative to the root) and returns the path. uint8 volumes (label maps, 8-bit
   * images) are mostly runs and are deflated as runs; wider types hold noisy intensities, where LZ matches are rare,
   * and are Huffman-coded only — each 2–4× faster than default deflate at level 6 for about the same size
   * (`scripts/bench-simulate.ts`).
   */
  write(relPath: string, volume: Volume): string {
    const file = join(this.root, relPath);
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      throw new MultiraterError(
        'io_error',
        `${dirname(file)}: cannot create the folder (${(e as NodeJS.ErrnoException).code})`,
      );
    }
    writeNifti(file, volume, { level: 1, strategy: volume.dtype === 'uint8' ? 'rle' : 'huffman' });
    return relPath;
  }

  /** Adds a rater's annotation of a case to that rater's confusion counts. */
  count(rater: string, truth: Volume, annotation: Volume): void {
    const c = this.counts.get(rater);
    const next = confusionCounts(truth.data, annotation.data, this.labelValues, c);
    if (!c) this.counts.set(rater, next);
  }

  /**
   * Draws `model`'s annotation of one case (`truth`, and `image` for image-guided steps) from the stream
   * `rater:<model name>:<caseId>` of `root`, writes it at `relPath` and adds it to the rater's confusion counts.
   */
  annotate(
    relPath: string,
    model: RaterModel,
    truth: Volume,
    image: Volume | null,
    draw: { root: Rng; caseId: string },
  ): {
    /** `relPath` as written, relative to `root`. */
    path: string;
    /** The label map drawn, on the truth's grid. */
    annotation: Volume<Uint8Array>;
  } {
    const seed = draw.root.fork(`rater:${model.name}:${draw.caseId}`).nextUint32();
    const annotation = applyRater(truth, image, model, seed);
    this.count(model.name, truth, annotation);
    return { path: this.write(relPath, annotation), annotation };
  }

  /** The confusion counts so far, per rater. */
  countsByRater(): Record<string, ConfusionCounts> {
    return Object.fromEntries(this.counts);
  }

  /**
   * Takes over the cases and confusion counts of a part written elsewhere (another thread's `DatasetWriter` on
   * the same root). Counts are whole numbers, so the pooled matrices do not depend on the order parts arrive in.
   */
  absorb(part: { cases: readonly Case[]; counts: Readonly<Record<string, ConfusionCounts>> }): void {
    this.cases.push(...part.cases);
    for (const [rater, from] of Object.entries(part.counts)) {
      const into = this.counts.get(rater);
      if (!into) {
        this.counts.set(rater, { labels: [...from.labels], counts: from.counts.map((row) => [...row]) });
        continue;
      }
      for (let i = 0; i < into.counts.length; i++)
        for (let j = 0; j < into.counts.length; j++) into.counts[i][j] += from.counts[i][j];
    }
  }

  /**
   * Writes dataset.json with the confusion matrices of `raters` (in that order); returns what `simulate*Dataset`
   * returns, `subjects` as given and the cases per split counted from the cases' `meta.split`.
   */
  finish(dataset: Omit<Dataset, 'cases' | 'confusionMatrices'>, subjects: number): SimulateResult {
    const confusionMatrices: Record<string, unknown> = {};
    for (const r of dataset.raters) {
      const c = this.counts.get(r);
      if (c) confusionMatrices[r] = confusionMatrix(c);
    }
    return {
      datasetFile: saveDataset(this.root, { ...dataset, cases: this.cases, confusionMatrices }),
      subjects,
      cases: this.cases.length,
      raters: dataset.raters,
      splits: splitCounts(this.cases.map((c) => c.meta.split!)),
    };
  }
}

/** Zero-padded subject/case number wide enough for `total`. */
export function padded(n: number, total: number): string {
  return String(n).padStart(Math.max(3, String(total).length), '0');
}
