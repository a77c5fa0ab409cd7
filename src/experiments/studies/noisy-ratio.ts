/**
 * The noisy-ratio study (seed: "effect of noisy annotation ratio, mandible CT"): HighRes3DNet trained on 3D patches
 * of the mandible phantom with a fraction r of the training cases carrying the rough dosimetrist's labels instead
 * of the expert's (`raters/noisy-ratio.ts`: mixed raters `noisy{pct}_d{draw}` in one dataset, so validation and test
 * cases are the same for every arm), several random draws of which cases are noisy, each model's checkpoint chosen
 * by the lowest validation loss. Tested against the expert's (corrected) labels; training-set predictions are
 * scored against the arm's own (noisy) labels and against the clean ones. Ratio 0 and 1 select the same cases in
 * every draw, but each draw is still trained (the draw's seed also seeds training), so every ratio has as many
 * results. Report in `noisy-ratio-report.ts`.
 */
import { z } from 'zod';
import type { ModelOptions } from '../../models/index.ts';
import { makeJob, type Job, type JsonValue } from '../job.ts';
import { defineStudy, optionsSetting, type PresetName, type StudyJobs, type StudyPlanContext } from '../study.ts';
import { noisyRatioReport } from './noisy-ratio-report.ts';

const triple = z.tuple([z.number(), z.number(), z.number()]);

/**
 * The head-and-neck phantom's geometry: 'default' 96×96×48 voxels of 1.5×1.5×2.5 mm, 'seed' the seed's 256×256×128
 * of 1.17×1.17×3 mm.
 */
export type HeadneckGeometry = 'default' | 'seed';
const headneckGeometry: z.ZodType<HeadneckGeometry> = z.enum(['default', 'seed']);

/** The zod schema of a preset's settings (`NoisyRatioSettings`); the settings a plan records extend it. */
export const noisyRatioSettingsSchema = z.object({
  /** The head-and-neck phantom: subjects, grid (voxels) and spacing (mm) or null for the geometry's, and the splits. */
  phantom: z.object({
    /** Subjects simulated (one case each). */
    subjects: z.number().int().positive(),
    /** Voxels per axis [x, y, z], overriding the geometry's; null: the geometry's. */
    shape: triple.nullable(),
    /** Voxel size per axis in mm, overriding the geometry's; null: the geometry's. */
    spacing: triple.nullable(),
    /** 'default': 96×96×48 voxels of 1.5×1.5×2.5 mm; 'seed': the seed's 256×256×128 of 1.17×1.17×3 mm. */
    geometry: headneckGeometry,
    /** Exact subjects per split, summing to `subjects`. */
    splits: z.object({
      /** Subjects in the training split. */
      train: z.number().int(),
      /** Subjects in the validation split. */
      val: z.number().int(),
      /** Subjects in the test split. */
      test: z.number().int(),
    }),
  }),
  /** Fractions of the training cases with the dosimetrist's labels. */
  ratios: z.array(z.number().min(0).max(1)),
  /** Random draws of which cases are noisy, per ratio. */
  draws: z.number().int().positive(),
  /** Registered network every arm trains (`highres3dnet`). */
  model: z.string(),
  /** Architecture overrides of `model` (e.g. residual blocks per stage). */
  modelOptions: optionsSetting<ModelOptions>('model options'),
  /** Training of every ratio × draw. */
  train: z.object({
    /** Training iterations (optimiser steps). */
    iterations: z.number().int().positive(),
    /** Patches per step. */
    batchSize: z.number().int().positive(),
    /** Patch size in voxels, [x, y, z]. */
    patchSize: z.array(z.number().int().positive()),
    /** Learning rate. */
    lr: z.number().positive(),
    /** Adam. */
    optimizer: z.literal('adam'),
    /** A constant learning rate. */
    schedule: z.literal('constant'),
    /** Cross-entropy. */
    loss: z.literal('ce'),
    /** Validate every this many iterations. */
    validateEvery: z.number().int().positive(),
    /** Write a checkpoint every this many iterations. */
    checkpointEvery: z.number().int().positive(),
    /** Keep the checkpoint of the lowest validation loss. */
    selectBy: z.literal('loss'),
  }),
});
/** A preset's settings (all JSON). */
export type NoisyRatioSettings = z.infer<typeof noisyRatioSettingsSchema>;

const plannedSettings = noisyRatioSettingsSchema.extend({ seed: z.number() });
/** The settings a plan records: its preset's and its base seed. */
export type NoisyRatioPlanSettings = z.infer<typeof plannedSettings>;

const SEED_RATIOS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1];

/** Every preset's training: batch 1, Adam at a constant rate, cross-entropy, validated and checkpointed together. */
const training = (
  iterations: number,
  patchSize: number[],
  lr: number,
  validateEvery: number,
): NoisyRatioSettings['train'] => ({
  iterations,
  batchSize: 1,
  patchSize,
  lr,
  optimizer: 'adam',
  schedule: 'constant',
  loss: 'ce',
  validateEvery,
  checkpointEvery: validateEvery,
  selectBy: 'loss',
});

/** The phantom's default field of view (144×144×120 mm) on a coarser grid: `shape` voxels of `spacing` mm. */
const defaultFieldOfView = (
  subjects: number,
  shape: [number, number, number],
  spacing: [number, number, number],
  splits: NoisyRatioSettings['phantom']['splits'],
): NoisyRatioSettings['phantom'] => ({ subjects, shape, spacing, geometry: 'default', splits });

/** HighRes3DNet cut to one residual block per stage (the seed's has three). */
const ONE_BLOCK_PER_STAGE = { model: 'highres3dnet', modelOptions: { blocksPerStage: 1 } } as const;

/**
 * The default preset is sized by the power of Table 3: with 2 draws (the earlier default) the between-draw sd of
 * test Dice (pooled 0.069 over 0, 20, 50, 100 %) only resolves differences of about 0.37, five times the seed's
 * drop of 0.07; 6 draws bring that to about 0.12, and what remains is the training noise between draws. Six draws of
 * four ratios cost about 56 min on 2 idle cores (the 2-draw run's 18.7 min × 3), too close to the hour, so 50 % goes:
 * 0 and 100 % are the seed's two ends and 20 % its threshold ("no significant difference up to 20 %").
 */
export const NOISY_RATIO_PRESETS: Record<PresetName, NoisyRatioSettings> = {
  smoke: {
    phantom: defaultFieldOfView(8, [24, 24, 12], [6, 6, 10], { train: 4, val: 2, test: 2 }),
    ratios: [0, 1],
    draws: 1,
    ...ONE_BLOCK_PER_STAGE,
    train: training(6, [16, 16, 8], 1e-3, 2),
  },
  default: {
    phantom: defaultFieldOfView(30, [64, 64, 32], [2.25, 2.25, 3.75], { train: 20, val: 4, test: 6 }),
    ratios: [0, 0.2, 1],
    draws: 6,
    ...ONE_BLOCK_PER_STAGE,
    train: training(300, [32, 32, 32], 1e-3, 50),
  },
  paper: {
    phantom: { subjects: 202, shape: null, spacing: null, geometry: 'seed', splits: { train: 180, val: 10, test: 12 } },
    ratios: SEED_RATIOS,
    draws: 6,
    model: 'highres3dnet',
    modelOptions: {},
    train: training(100_000, [96, 96, 96], 1e-4, 1000),
  },
};

/** The mixed rater of ratio `r` and draw `d` as `simulate headneck` names it. */
export const noisyRaterName = (ratio: number, draw: number, draws: number): string =>
  draws === 1 ? `noisy${Math.round(ratio * 100)}` : `noisy${Math.round(ratio * 100)}_d${draw}`;

/** The jobs for a preset's settings; see the file comment. */
function noisyRatioJobs(s: NoisyRatioSettings, { seed, options }: StudyPlanContext): StudyJobs<NoisyRatioPlanSettings> {
  const jobs: Job[] = [];
  const add = (job: Job): Job => (jobs.push(job), job);
  const { shape, spacing, ...phantom } = s.phantom;
  const simulate =
    options.data === undefined
      ? add(
          makeJob(
            'simulate',
            {
              phantom: 'headneck',
              ...phantom,
              ...(shape !== null ? { shape } : {}),
              ...(spacing !== null ? { spacing } : {}),
              noisyRatios: s.ratios,
              draws: s.draws,
              seed,
            },
            {},
            {},
          ),
        )
      : null;
  const dataSpec: { [k: string]: JsonValue } = options.data !== undefined ? { dataPath: options.data } : {};
  const dataNeeds: Record<string, Job> = simulate !== null ? { data: simulate } : {};
  const entries: { role: string; tags: Record<string, string | number> }[] = [];
  const evaluations: Record<string, Job> = {};
  const seeds: number[] = [];
  for (let draw = 1; draw <= s.draws; draw++) {
    const trainSeed = seed + draw - 1;
    if (!seeds.includes(trainSeed)) seeds.push(trainSeed);
    for (const ratio of s.ratios) {
      const rater = noisyRaterName(ratio, draw, s.draws);
      const tags = { ratio, draw, rater };
      const spec = {
        ...dataSpec,
        model: s.model,
        modelOptions: s.modelOptions,
        labelSource: rater,
        ...s.train,
        normalization: { method: 'zscore', above: 900 },
        seed: trainSeed,
      };
      const trained = add(makeJob('train', spec, dataNeeds, tags));
      for (const [split, against] of [
        ['test', ['expert']],
        ['train', [rater, 'expert']],
      ] as const) {
        const predicted = add(
          makeJob('predict', { ...dataSpec, split }, { ...dataNeeds, model: trained }, { ...tags, split }),
        );
        for (const ref of against) {
          const evaluated = add(
            makeJob(
              'evaluate',
              { ...dataSpec, split, against: ref },
              { ...dataNeeds, pred: predicted },
              { ...tags, split, against: ref === 'expert' ? 'clean' : 'own' },
            ),
          );
          const role = `e${entries.length}`;
          entries.push({ role, tags: { ...tags, split, against: ref === 'expert' ? 'clean' : 'own' } });
          evaluations[role] = evaluated;
        }
      }
    }
  }
  add(makeJob('aggregate', { entries, metrics: ['dice', 'fpr', 'fdr'] }, evaluations));
  return { settings: { ...s, seed }, seeds, jobs };
}

/** The `noisy-ratio` study (seed: noisy annotation ratio, mandible CT; see the file comment). */
export const noisyRatioStudy = defineStudy({
  name: 'noisy-ratio',
  title: 'Effect of the noisy annotation ratio on mandible CT segmentation (HighRes3DNet, 3D patches)',
  presets: {
    smoke:
      'HighRes3DNet (1 block per stage) on 8 tiny 24×24×12 phantoms of 6×6×10 mm (the default field of view), ratios 0 and 100 %, 6 iterations: about a minute',
    default:
      "HighRes3DNet (1 block per stage) on 30 subjects of 64×64×32 voxels of 2.25×2.25×3.75 mm (the default 144×144×120 mm field of view; 20 / 4 / 6), ratios 0, 20, 100 % × the seed's 6 draws, 32³ patches, 300 iterations validated every 50: about 42 min with --workers 2 --threads 1 on 2 idle cores (the 2-draw, 4-ratio run's measured 18.7 min × 18 / 8 arms)",
    paper:
      'the seed: 202 subjects at 256×256×128 of 1.17×1.17×3 mm (180 / 10 / 12), ratios 0–60 % and 100 % × 6 draws, 96³ patches, 100,000 iterations with 100 validations, Adam 1e-4: weeks of CPU, meant for many workers',
  },
  presetSettings: NOISY_RATIO_PRESETS,
  settings: plannedSettings,
  plan: noisyRatioJobs,
  report: noisyRatioReport,
});

/** The jobs of the study at `preset`; see the file comment. */
export const planNoisyRatio = noisyRatioStudy.plan;
