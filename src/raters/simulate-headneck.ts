/**
 * `multirater simulate headneck`: N head-and-neck CT phantoms with the mandible's truth, the expert and the rough
 * dosimetrist, and the noisy-ratio raters: for each ratio (and draw), `noisy{percent}` points to the dosimetrist's
 * file on that fraction of the training cases and to the expert's elsewhere (`noisy-ratio.ts`) — no files are
 * duplicated. Those need both base raters.
 */
import type { Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { HEADNECK_SEED_GEOMETRY, headneckPhantom } from '../phantom/index.ts';
import { Rng } from '../random/index.ts';
import type { Volume } from '../volume/index.ts';
import { assignSplits, DatasetWriter, padded } from './dataset-writer.ts';
import { separateRegions } from './label-regions.ts';
import { noisyRatioRaters } from './noisy-ratio.ts';
import { HEADNECK_RATERS } from './rater-models.ts';
import { checkCount, resolveRaters, type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';

/**
 * Options of `simulateHeadneckDataset` (`multirater simulate headneck`): subjects, noisy ratios and draws, grid,
 * splits.
 */
export interface SimulateHeadneckOptions extends SimulateCommonOptions {
  /** Number of subjects; default 20. */
  subjects?: number;
  /** Fractions of noisy training cases for the mixed raters; default 0, 0.25, 0.5, 0.75, 1 ([] for none). */
  noisyRatios?: number[];
  /** Independent draws per ratio; default 1. */
  draws?: number;
  /** 'default': 96×96×48 voxels of 1.5×1.5×2.5 mm; 'seed': the noisy-ratio study's 256×256×128 of 1.17×1.17×3 mm. */
  geometry?: 'default' | 'seed';
  /** Voxels per axis, overriding the geometry's (e.g. a small grid for tests); spacing stays the geometry's unless given. */
  shape?: [number, number, number];
  /** Voxel size per axis in mm, overriding the geometry's. */
  spacing?: [number, number, number];
  /**
   * Exact subjects per split (summing to `subjects`), dealt in a seeded random order: train first, then val, then
   * test (the seed study's 180/10/12); default ~60/20/20 (`assignSplits`).
   */
  splits?: {
    /** Subjects in the training split, dealt first. */
    train: number;
    /** Subjects in the validation split, dealt after the training ones. */
    val: number;
    /** Subjects in the test split, dealt last. */
    test: number;
  };
}

/** Raters `simulate headneck` writes when `raters` is not given (the noisy-ratio raters need both). */
export const HEADNECK_DEFAULT_RATERS = ['expert', 'dosimetrist'];

/** Writes the head-and-neck dataset; see the file comment. */
export function simulateHeadneckDataset(options: SimulateHeadneckOptions): SimulateResult {
  const subjects = options.subjects ?? 20;
  const seed = options.seed ?? 1;
  checkCount('headneck', 'subjects', subjects, 9999);
  const names = options.raters ?? HEADNECK_DEFAULT_RATERS;
  const models = resolveRaters('headneck', HEADNECK_RATERS, names, options.experts ?? 0, separateRegions([1]));
  const ratios = options.noisyRatios ?? [0, 0.25, 0.5, 0.75, 1];
  if (ratios.length > 0 && !(names.includes('expert') && names.includes('dosimetrist'))) {
    throw new MultiraterError(
      'invalid_argument',
      `simulate headneck: noisy ratios need raters expert and dosimetrist, got ${names.join(',')}`,
    );
  }
  const root = new Rng(seed);
  const ids = Array.from({ length: subjects }, (_, s) => `subject${padded(s + 1, subjects)}`);
  const splits =
    options.splits === undefined
      ? assignSplits(
          ids,
          ids.map(() => 'all'),
          seed,
        )
      : exactSplits(ids, options.splits, seed);
  const mixed = noisyRatioRaters(
    ids.filter((id) => splits.get(id) === 'train'),
    { ratios, draws: options.draws ?? 1, seed },
  );
  const writer = new DatasetWriter(options.out, [0, 1]);
  const geometry = {
    ...(options.geometry === 'seed' ? HEADNECK_SEED_GEOMETRY : {}),
    ...(options.shape ? { shape: options.shape } : {}),
    ...(options.spacing ? { spacing: options.spacing } : {}),
  };
  ids.forEach((id, s) => {
    const phantom = headneckPhantom({ seed: root.fork(`subject:${id}`).nextUint32(), ...geometry });
    const raters: Record<string, string> = {};
    const annotations = new Map<string, Volume<Uint8Array>>();
    for (const model of models) {
      const drawn = writer.annotate(`raters/${model.name}/${id}.nii.gz`, model, phantom.labels, phantom.image, {
        root,
        caseId: id,
      });
      raters[model.name] = drawn.path;
      annotations.set(model.name, drawn.annotation);
    }
    for (const m of mixed) {
      const source = m.noisyCases.has(id) ? 'dosimetrist' : 'expert';
      raters[m.name] = raters[source];
      writer.count(m.name, phantom.labels, annotations.get(source)!);
    }
    writer.cases.push({
      id,
      image: writer.write(`images/${id}.nii.gz`, phantom.image),
      truth: writer.write(`truth/${id}.nii.gz`, phantom.labels),
      raters,
      meta: {
        subject: id,
        split: splits.get(id),
        noisyIn: mixed.filter((m) => m.noisyCases.has(id)).map((m) => m.name),
      },
    });
    options.onProgress?.(s + 1, subjects);
  });
  return writer.finish(
    {
      name: 'phantom-headneck',
      description:
        'Synthetic head-and-neck CT (HU) with the mandible; expert and rough dosimetrist annotations, and noisy-ratio raters mixing them over the training cases.',
      labels: { '1': 'mandible' },
      raters: [...models.map((m) => m.name), ...mixed.map((m) => m.name)],
      source: {
        generator: 'multirater simulate headneck',
        seed,
        subjects,
        geometry: options.geometry ?? 'default',
        ...(options.shape ? { shape: options.shape } : {}),
        ...(options.spacing ? { spacing: options.spacing } : {}),
        raterModels: Object.fromEntries(models.map((m) => [m.name, m])),
        noisyRatios: mixed.map((m) => ({
          rater: m.name,
          ratio: m.ratio,
          draw: m.draw,
          noisyCases: [...m.noisyCases].sort(),
        })),
      },
    },
    subjects,
  );
}

/** Exactly `counts` subjects per split: ids ordered by a seeded random key, then dealt train, val, test. */
function exactSplits(
  ids: readonly string[],
  counts: { train: number; val: number; test: number },
  seed: number,
): Map<string, Split> {
  const { train, val, test } = counts;
  if (![train, val, test].every((n) => Number.isInteger(n) && n >= 0) || train + val + test !== ids.length) {
    throw new MultiraterError(
      'invalid_argument',
      `simulate headneck: splits ${train}/${val}/${test} must be integers ≥ 0 summing to the ${ids.length} subjects`,
    );
  }
  const order = new Rng(seed).fork('exact-splits').shuffle(ids);
  return new Map(order.map((id, n): [string, Split] => [id, n < train ? 'train' : n < train + val ? 'val' : 'test']));
}
