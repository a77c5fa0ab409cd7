/**
 * The expert-adaptation study (seed: "expert-adaptive segmentation with multi-expert annotation", QUBIQ brain
 * growth): one ResNet-18 U-Net trained on several experts' labels with expert-specific (conditional) instance norm
 * and every other weight shared, then fine-tuned (fresh expert slot, every parameter trained) on n images of a new
 * expert, against training from scratch on the same n images. Images of each fine-tuning follow the seed's
 * deterministic sub-set rule (`data/adaptation-subsets.ts`); the training experts of a setting are every
 * combination of k of the five (C(5, k)), and results of one way are averaged over them.
 * Two from-scratch arms: "same iterations" trains as many iterations as pre-training + fine-tuning together (the
 * compute the multi-expert model had), "to convergence" trains until the Dice on held-out validation images of the
 * new expert (the phantom's validation cases, labelled by that expert: what a user would have, never the truth or
 * a test image) stops improving for `patience` validations, keeping the best of them.
 * - Table I: a model trained on each single expert 1–7 (all training images), tested on experts 6 and 7.
 * - Table II: the 3-expert model fine-tuned with n = 5…34 images of the new expert vs from scratch.
 * - Table III: 0–5 training experts, n = 10 (0 experts = from scratch).
 * Tables and figures in `expert-adaptation-report.ts`.
 */
import { z } from 'zod';
import { adaptationWays, expertCombinations } from '../../data/index.ts';
import { noAugmentation, type AugmentationConfig } from '../../augment/index.ts';
import type { ModelOptions } from '../../models/index.ts';
import { trainingImageIds } from '../../train/index.ts';
import { makeJob, type Job, type JsonValue } from '../job.ts';
import { defineStudy, optionsSetting, type PresetName, type StudyJobs, type StudyPlanContext } from '../study.ts';
import { expertAdaptationReport } from './expert-adaptation-report.ts';

const count = z.number().int().nonnegative();

/** How a multi-expert model is fine-tuned: 'full' trains every parameter, 'expert-only' only the new slot's γ, β. */
export type FinetuneMode = 'full' | 'expert-only';
const finetuneMode: z.ZodType<FinetuneMode> = z.enum(['full', 'expert-only']);

/** The zod schema of a preset's settings (`ExpertAdaptationSettings`); the settings a plan records extend it. */
export const expertAdaptationSettingsSchema = z.object({
  /**
   * The brain-growth phantom: cases in all, of which `testCases` test and `valCases` validation cases (the
   * validation images of the "to convergence" scratch arm), and the image side (px).
   */
  phantom: z.object({
    /** Cases (images) in all. */
    cases: count,
    /** Cases of the test split. */
    testCases: count,
    /** Cases of the validation split. */
    valCases: count,
    /** Image side (px). */
    size: count,
  }),
  /** Registered network every model trains (`resnet18-unet2d`). */
  model: z.string(),
  /** Architecture overrides of `model` (norm 'cin' and the width). */
  modelOptions: optionsSetting<ModelOptions>('model options'),
  /** Experts 1–5, whose labels multi-expert models train on. */
  trainingExperts: z.array(z.string()),
  /** Experts adapted to in Tables II–III (the seed: 6 and 7). */
  newExperts: z.array(z.string()),
  /** Experts tested on in Table I (each single-expert model is tested on every one). */
  tableOneTestExperts: z.array(z.string()),
  /** Every expert of the dataset, in order (Table I trains one model per expert). */
  allExperts: z.array(z.string()),
  /** Training of the expert models and of the scratch arms (which override its iterations and validation). */
  train: z.object({
    /** Training iterations (optimiser steps) of an expert model. */
    iterations: count,
    /** Samples ((image, expert) pairs) per step. */
    batchSize: count,
    /** Patch (crop) size in voxels, [x, y]. */
    patchSize: z.array(count),
    /** Peak learning rate. */
    lr: z.number().positive(),
    /** Rectified Adam. */
    optimizer: z.literal('radam'),
    /** Polynomial learning-rate decay ((1 − t/T)^0.9). */
    schedule: z.literal('poly'),
    /** Soft Dice per sample, summed over the batch. */
    loss: z.literal('sample-dice'),
    /** Validate every this many iterations (the presets: once, at the end). */
    validateEvery: count,
    /** Write a checkpoint every this many iterations. */
    checkpointEvery: count,
    /** Augmentation config (the presets: the seed's translation, zoom, rotation, noise, blur, brightness). */
    augmentation: optionsSetting<AugmentationConfig>('an augmentation config'),
  }),
  /** Fine-tuning of a multi-expert model to the new expert (a fresh expert slot). */
  finetune: z.object({
    /** Fine-tuning iterations (optimiser steps). */
    iterations: count,
    /** 'full' trains every parameter; 'expert-only' only the new slot's γ, β. */
    mode: finetuneMode,
    /** The new slot's initial γ, β: 'identity' (1, 0). */
    init: z.literal('identity'),
  }),
  /**
   * The "to convergence" scratch arm: at most `maxIterations`, validating every `validateEvery` on the validation
   * images of the new expert (mean Dice), stopping after `patience` validations without improvement.
   */
  convergence: z.object({
    /** Most training iterations (optimiser steps) of the arm. */
    maxIterations: count,
    /** Validate on the new expert's validation images every this many iterations. */
    validateEvery: count,
    /** Stop after this many validations without improvement of the mean Dice. */
    patience: count,
  }),
  /** Ways of the sub-set rule (10 in the seed) and which of them are run (0-based). */
  ways: count,
  /** The ways run (0-based, below `ways`). */
  runWays: z.array(count),
  /** Table II: fine-tuning image counts, with models of `tableTwoExperts` training experts. */
  samples: z.array(count),
  /** Table II: training experts (k) of the fine-tuned models. */
  tableTwoExperts: count,
  /** Table III: numbers of training experts, with `tableThreeSamples` images. */
  expertCounts: z.array(count),
  /** Table III: fine-tuning images (n) of the new expert. */
  tableThreeSamples: count,
  /** At most this many expert combinations per k (evenly spaced in lexicographic order); null = all C(5, k). */
  maxCombinations: count.nullable(),
});
/** A preset's settings (all JSON). */
export type ExpertAdaptationSettings = z.infer<typeof expertAdaptationSettingsSchema>;

/** The schema of the settings a plan records (`ExpertAdaptationPlanSettings`). */
export const plannedSettings = expertAdaptationSettingsSchema.extend({
  trainingImages: count,
  /** Iterations of the "same iterations" scratch arm: pre-training + fine-tuning. */
  scratchIterations: count,
  seed: z.number(),
});
/** The settings a plan records: its preset's, the number of training images, the scratch arm's iterations and its base seed. */
export type ExpertAdaptationPlanSettings = z.infer<typeof plannedSettings>;

/** The seed's augmentation: translation, zoom, rotation, Gaussian noise, Gaussian blur, brightness. */
const SEED_AUGMENTATION: AugmentationConfig = {
  ...noAugmentation(),
  rotation: { probability: 0.3, maxDegrees: 15 },
  scale: { probability: 0.3, min: 0.9, max: 1.1 },
  translation: { probability: 0.3, maxMm: 10 },
  noise: { probability: 0.2, maxVariance: 0.01 },
  blur: { probability: 0.2, sigma: [0.5, 1] },
  brightness: { probability: 0.2, range: [0.9, 1.1] },
};

const EXPERTS = ['seg01', 'seg02', 'seg03', 'seg04', 'seg05', 'seg06', 'seg07'];

const COMMON = {
  model: 'resnet18-unet2d',
  trainingExperts: EXPERTS.slice(0, 5),
  tableOneTestExperts: ['seg06', 'seg07'],
  allExperts: EXPERTS,
  ways: 10,
  tableTwoExperts: 3,
  tableThreeSamples: 10,
};

const train = (
  iterations: number,
  batchSize: number,
  patch: number,
  lr: number,
  every: number,
): ExpertAdaptationSettings['train'] => ({
  iterations,
  batchSize,
  patchSize: [patch, patch],
  lr,
  optimizer: 'radam',
  schedule: 'poly',
  loss: 'sample-dice',
  validateEvery: iterations,
  checkpointEvery: every,
  augmentation: SEED_AUGMENTATION,
});

const finetune = (iterations: number): ExpertAdaptationSettings['finetune'] => ({
  iterations,
  mode: 'full',
  init: 'identity',
});

/** The presets. `default` sizes were chosen by timing single jobs (README "Studies"). */
export const EXPERT_ADAPTATION_PRESETS: Record<PresetName, ExpertAdaptationSettings> = {
  smoke: {
    ...COMMON,
    phantom: { cases: 16, testCases: 3, valCases: 2, size: 32 },
    modelOptions: { norm: 'cin', width: 4 },
    newExperts: ['seg06'],
    train: train(6, 4, 32, 1e-3, 3),
    finetune: finetune(4),
    convergence: { maxIterations: 12, validateEvery: 2, patience: 2 },
    runWays: [0, 5],
    samples: [2, 4],
    expertCounts: [0, 1, 3],
    tableThreeSamples: 4,
    maxCombinations: 1,
  },
  default: {
    ...COMMON,
    phantom: { cases: 43, testCases: 5, valCases: 4, size: 64 },
    modelOptions: { norm: 'cin', width: 16 },
    newExperts: ['seg06'],
    train: train(400, 8, 64, 1e-3, 100),
    finetune: finetune(150),
    convergence: { maxIterations: 1500, validateEvery: 50, patience: 5 },
    runWays: [0, 3, 6],
    samples: [5, 10, 20, 34],
    expertCounts: [0, 1, 2, 3, 4, 5],
    maxCombinations: 1,
  },
  paper: {
    ...COMMON,
    phantom: { cases: 43, testCases: 5, valCases: 4, size: 256 },
    modelOptions: { norm: 'cin', width: 64 },
    newExperts: ['seg06', 'seg07'],
    train: train(5000, 16, 192, 1e-3, 500),
    finetune: finetune(1000),
    convergence: { maxIterations: 20000, validateEvery: 250, patience: 8 },
    runWays: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    samples: [5, 10, 15, 20, 25, 30, 34],
    expertCounts: [0, 1, 2, 3, 4, 5],
    maxCombinations: null,
  },
};

/** At most `max` of `all`, evenly spaced (the first when max = 1); all when max is null. */
function spread<T>(all: readonly T[], max: number | null): T[] {
  if (max === null || all.length <= max) return [...all];
  if (max === 1) return [all[0]];
  return Array.from({ length: max }, (_, i) => all[Math.round((i * (all.length - 1)) / (max - 1))]);
}

/** The number of training images (train split) of an existing dataset, or of the phantom. */
function trainingImageCount(settings: ExpertAdaptationSettings, data: string | undefined): number {
  const { cases, testCases, valCases } = settings.phantom;
  return data === undefined ? cases - testCases - valCases : trainingImageIds(data).length;
}

/** The jobs for a preset's settings; see the file comment. */
function expertAdaptationJobs(
  s: ExpertAdaptationSettings,
  { seed, options }: StudyPlanContext,
): StudyJobs<ExpertAdaptationPlanSettings> {
  const byKey = new Map<string, Job>();
  const add = (job: Job): Job => {
    if (!byKey.has(job.key)) byKey.set(job.key, job);
    return byKey.get(job.key)!;
  };
  const simulate =
    options.data === undefined
      ? add(makeJob('simulate', { phantom: 'braingrowth', ...s.phantom, seed }, {}, {}))
      : null;
  const dataSpec: { [k: string]: JsonValue } = options.data !== undefined ? { dataPath: options.data } : {};
  const dataNeeds: Record<string, Job> = simulate !== null ? { data: simulate } : {};
  const total = trainingImageCount(s, options.data);
  const trainSpec = { ...dataSpec, model: s.model, modelOptions: s.modelOptions, ...s.train, seed };
  const scratchIterations = s.train.iterations + s.finetune.iterations;
  const scratchArms: { method: string; spec: { iterations: number; [key: string]: JsonValue } }[] = [
    { method: 'scratch', spec: { iterations: scratchIterations, validateEvery: scratchIterations } },
    {
      method: 'scratch-converged',
      spec: {
        iterations: s.convergence.maxIterations,
        validateEvery: s.convergence.validateEvery,
        earlyStoppingPatience: s.convergence.patience,
        selectBy: 'dice',
      },
    },
  ];

  const entries: { role: string; tags: Record<string, string | number> }[] = [];
  const evaluations: Record<string, Job> = {};
  const evaluate = (model: Job, rater: string, against: string[], tags: Record<string, string | number>): void => {
    const predicted = add(makeJob('predict', { ...dataSpec, split: 'test', rater }, { ...dataNeeds, model }, tags));
    for (const expert of against) {
      const evaluated = add(
        makeJob(
          'evaluate',
          { ...dataSpec, split: 'test', against: expert },
          { ...dataNeeds, pred: predicted },
          { ...tags, testExpert: expert },
        ),
      );
      if (Object.values(evaluations).includes(evaluated)) continue;
      const role = `e${entries.length}`;
      entries.push({ role, tags: { ...tags, testExpert: expert } });
      evaluations[role] = evaluated;
    }
  };

  // Models trained on experts: one per single expert (Table I, and the k = 1 models), one per combination.
  const expertModel = (experts: readonly string[]): Job =>
    add(
      makeJob(
        'train',
        { ...trainSpec, labelSource: experts.join(','), experts: [...experts], trainExperts: [...experts] },
        dataNeeds,
        { experts: experts.join('+'), k: experts.length },
      ),
    );
  for (const expert of s.allExperts)
    evaluate(expertModel([expert]), expert, s.tableOneTestExperts, { method: 'single', trainedOn: expert });

  const settingsToRun = [
    ...s.samples.flatMap((n) => [
      { n, k: s.tableTwoExperts },
      { n, k: 0 },
    ]),
    ...s.expertCounts.map((k) => ({ n: s.tableThreeSamples, k })),
  ].filter((x, i, all) => all.findIndex((y) => y.n === x.n && y.k === x.k) === i);
  for (const newExpert of s.newExperts) {
    for (const { n, k } of settingsToRun) {
      const ways = adaptationWays(total, n, { ways: s.ways });
      for (const way of s.runWays) {
        const images = ways[way];
        const tags = { newExpert, n, way, k };
        if (k === 0) {
          for (const arm of scratchArms) {
            const scratch = add(
              makeJob(
                'train',
                {
                  ...trainSpec,
                  labelSource: newExpert,
                  images,
                  ...arm.spec,
                  checkpointEvery: Math.min(s.train.checkpointEvery, arm.spec.iterations),
                },
                dataNeeds,
                { ...tags, method: arm.method },
              ),
            );
            evaluate(scratch, newExpert, [newExpert], { ...tags, method: arm.method, experts: '' });
          }
          continue;
        }
        for (const experts of spread(expertCombinations(s.trainingExperts, k), s.maxCombinations)) {
          const base = expertModel(experts);
          const spec = {
            ...dataSpec,
            rater: newExpert,
            samples: n,
            way,
            ways: s.ways,
            images,
            experts,
            ...s.finetune,
            seed,
            validateEvery: s.finetune.iterations,
            checkpointEvery: Math.min(s.train.checkpointEvery, s.finetune.iterations),
          };
          const tuned = add(
            makeJob(
              'finetune',
              spec,
              { ...dataNeeds, model: base },
              { ...tags, method: 'finetune', experts: experts.join('+') },
            ),
          );
          evaluate(tuned, newExpert, [newExpert], { ...tags, method: 'finetune', experts: experts.join('+') });
        }
      }
    }
  }
  add(makeJob('aggregate', { entries, metrics: ['dice', 'assd', 'hd95'] }, evaluations));
  return {
    settings: { ...s, trainingImages: total, scratchIterations, seed },
    seeds: [seed],
    jobs: [...byKey.values()],
  };
}

/** The `expert-adaptation` study (seed: QUBIQ brain-growth expert adaptation; see the file comment). */
export const expertAdaptationStudy = defineStudy({
  name: 'expert-adaptation',
  title:
    'Expert-adaptive segmentation with multi-expert annotation (conditional instance norm, fine-tuning to a new expert)',
  presets: {
    smoke:
      'ResNet-18 U-Net (width 4) on a 16-case 32-px brain phantom (11 training, 3 test, 2 validation images), 2 ways, a few iterations: about a minute',
    default:
      'width-16 ResNet-18 U-Net on the 43-case phantom at 64 px (34 training, 5 test, 4 validation images; whole images, no crops), 400 training / 150 fine-tuning iterations, scratch 550 iterations and to convergence (≤ 1500, patience 5 × 50), batch 8, ways 1, 4, 7 of the ten, one expert combination per k, new expert 6 only: about 20 minutes on 2 cores (estimate 17 min, converged arm at its cap)',
    paper:
      'the seed: ResNet-18 U-Net, 256-px images, 192-px crops, batch 16, 5000 / 1000 iterations (scratch 6000, and to convergence ≤ 20000), all ten ways, every expert combination, new experts 6 and 7: days of CPU, meant for many workers',
  },
  presetSettings: EXPERT_ADAPTATION_PRESETS,
  settings: plannedSettings,
  plan: expertAdaptationJobs,
  report: expertAdaptationReport,
});

/** The jobs of the study at `preset`; see the file comment. */
export const planExpertAdaptation = expertAdaptationStudy.plan;
