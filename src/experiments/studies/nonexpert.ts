/**
 * The non-expert study (seed: "non-expert vs expert annotation for cardiac cine MRI"): can networks trained on
 * labels drawn by non-experts segment as well as ones trained on an expert's? U-Net, Attention U-Net and ENet,
 * trained on the expert's labels with CE+Dice, and on each non-expert's (nonexpert1: 30-minute training,
 * nonexpert2: months of training) with CE+Dice and with MAE+Dice (the noise-robust loss), and on a rater with
 * nonexpert1's per-structure Dice against the expert but random errors (`nonexpert1-random`) with both losses,
 * repeated with different seeds; tested on held-out in-domain subjects and on a shifted domain (a second phantom of
 * other vendors, or an imported M&Ms-like dataset) against each set's own truth. Tables 1–3 (LV, MYO, RV), the
 * noise type × loss table and figures in `nonexpert-report.ts`.
 */
import { z } from 'zod';
import type { ModelOptions } from '../../models/index.ts';
import { defineStudy, optionsSetting, type PresetName, type StudyJobs, type StudyPlanContext } from '../study.ts';
import { cardiacPhantom, cardiacPhantoms, cardiacPlan } from './cardiac-phantom.ts';
import { nonexpertReport } from './nonexpert-report.ts';
import { trainSettings } from './train-settings.ts';

/** One training arm: whose labels, with which loss (a type literal, not an interface: settings are JSON values). */
export type NonexpertArm = {
  /** The rater whose labels the arm trains on (`expert`, `nonexpert1`, …). */
  rater: string;
  /** Cross-entropy + Dice, or MAE + Dice (the noise-robust loss). */
  loss: 'ce+dice' | 'mae+dice';
};
const nonexpertArm: z.ZodType<NonexpertArm> = z.object({ rater: z.string(), loss: z.enum(['ce+dice', 'mae+dice']) });

/** The zod schema of a preset's settings (`NonexpertSettings`); the settings a plan records extend it. */
export const nonexpertSettingsSchema = z.object({
  /** Registered networks trained in every arm (`unet2d`, `attention-unet2d`, `enet`). */
  models: z.array(z.string()),
  /** Architecture overrides per model (smaller networks for the quick presets). */
  modelOptions: z.record(z.string(), optionsSetting<ModelOptions>('model options')),
  /** Training arms (rater × loss), each trained with every model. */
  arms: z.array(nonexpertArm),
  /** Repeats of every model × arm, with training seeds seed, seed + 1, …. */
  repeats: z.number().int().positive(),
  /** The training phantom (splits 60/20/20 by subject). */
  phantom: cardiacPhantom,
  /** The shifted-domain phantom (every case is a test case), drawn with seed + 1000. */
  shifted: cardiacPhantom,
  /** Training of every model × arm (the loss is the arm's). */
  train: trainSettings,
});
/** A preset's settings (all JSON). */
export type NonexpertSettings = z.infer<typeof nonexpertSettingsSchema>;

const plannedSettings = nonexpertSettingsSchema.extend({ testSets: z.array(z.string()), seed: z.number() });
/** The settings a plan records: its preset's, the test sets it evaluates on and its base seed. */
export type NonexpertPlanSettings = z.infer<typeof plannedSettings>;

const LOSSES = ['ce+dice', 'mae+dice'] as const;
/**
 * The arms: the expert with CE+Dice; each non-expert with both losses; and the random-error rater of the 30-minute
 * non-expert (`nonexpert1-random`: the same per-structure Dice against the expert, random instead of systematic
 * errors; raters/random-error-rater.ts) with both losses, so the report separates the noise type from the loss.
 */
const ALL_ARMS: NonexpertArm[] = [
  { rater: 'expert', loss: 'ce+dice' },
  ...['nonexpert1', 'nonexpert2', 'nonexpert1-random'].flatMap((rater) => LOSSES.map((loss) => ({ rater, loss }))),
];

const MODELS = ['unet2d', 'attention-unet2d', 'enet'];

/** The presets. `default` sizes were chosen by timing single train jobs (README "Studies"). */
export const NONEXPERT_PRESETS: Record<PresetName, NonexpertSettings> = {
  smoke: {
    models: ['unet2d'],
    modelOptions: { unet2d: { features: [8, 16] } },
    arms: ALL_ARMS.filter((a) => a.rater !== 'nonexpert2'),
    repeats: 1,
    ...cardiacPhantoms({ subjects: 8, shiftedSubjects: 3, size: 32, frames: 4 }),
    train: { iterations: 20, batchSize: 4, lr: 1e-2, validateEvery: 20, checkpointEvery: 5 },
  },
  default: {
    models: MODELS,
    modelOptions: { unet2d: { features: [16, 32, 64] }, 'attention-unet2d': { features: [16, 32, 64] }, enet: {} },
    arms: ALL_ARMS,
    repeats: 1,
    ...cardiacPhantoms({ subjects: 40, shiftedSubjects: 12, size: 64, frames: 6 }),
    train: { iterations: 500, batchSize: 8, lr: 3e-3, validateEvery: 100, checkpointEvery: 50 },
  },
  paper: {
    models: MODELS,
    modelOptions: {},
    arms: ALL_ARMS,
    repeats: 3,
    // 167 subjects split 60/20/20 give 100 training subjects, as ACDC's training set.
    ...cardiacPhantoms({ subjects: 167, shiftedSubjects: 40, size: 128, frames: 12 }),
    train: { iterations: 4000, batchSize: 8, lr: 3e-3, validateEvery: 200, checkpointEvery: 100 },
  },
};

/** The jobs for a preset's settings; see the file comment. */
function nonexpertJobs(s: NonexpertSettings, { seed, options }: StudyPlanContext): StudyJobs<NonexpertPlanSettings> {
  const plan = cardiacPlan(s, [...new Set(s.arms.map((a) => a.rater))], seed, options);
  const seeds = [seed];
  for (let repeat = 1; repeat <= s.repeats; repeat++) {
    const trainSeed = seed + repeat - 1;
    if (!seeds.includes(trainSeed)) seeds.push(trainSeed);
    for (const model of s.models)
      for (const { rater, loss } of s.arms)
        plan.trainAndEvaluate(
          { model, modelOptions: s.modelOptions[model] ?? {}, labelSource: rater, loss, ...s.train, seed: trainSeed },
          { model, rater, loss, repeat },
        );
  }
  plan.aggregate(['dice', 'hd']);
  if (plan.shiftedSeed !== null && !seeds.includes(plan.shiftedSeed)) seeds.push(plan.shiftedSeed);
  const { jobs, testSets } = plan;
  return { settings: { ...s, testSets: testSets.map((t) => t.name), seed }, seeds, jobs };
}

/** The `nonexpert` study (seed: non-expert vs expert annotation for cardiac cine MRI; see the file comment). */
export const nonexpertStudy = defineStudy({
  name: 'nonexpert',
  title: 'Non-expert vs expert annotation for cardiac cine MRI segmentation',
  presets: {
    smoke:
      'U-Net (tiny) on expert (CE+Dice), nonexpert1 and nonexpert1-random (CE+Dice, MAE+Dice), 8-subject 32-px phantom, 20 iterations: about a minute',
    default:
      '3 models × 7 arms (expert; nonexpert1, nonexpert2, nonexpert1-random × CE+Dice, MAE+Dice), 1 repeat, 40-subject 64-px phantom + 12-subject shifted phantom, 500 iterations: about 40 min with --workers 2 --threads 1 on 2 cores (estimated)',
    paper:
      '3 models × 7 arms × 3 repeats, 100 training subjects at 128 px, 4000 iterations: days of CPU, meant for many workers',
  },
  presetSettings: NONEXPERT_PRESETS,
  settings: plannedSettings,
  plan: nonexpertJobs,
  report: nonexpertReport,
});

/** The jobs of the study at `preset`; see the file comment. */
export const planNonexpert = nonexpertStudy.plan;
