/**
 * The non-expert study (seed: "non-expert vs expert annotation for cardiac cine MRI"): can networks trained on
 * labels drawn by non-experts segment as well as ones trained on an expert's? U-Net, Attention U-Net and ENet,
 * trained on the expert's labels with CE+Dice, and on each non-expert's (nonexpert1: 30-minute training,
 * nonexpert2: months of training) with CE+Dice and with MAE+Dice (the noise-robust loss), repeated with different
 * seeds; tested on held-out in-domain subjects and on a shifted domain (a second phantom of other vendors, or an
 * imported M&Ms-like dataset) against each set's own truth. Tables 1–3 (LV, MYO, RV) and figures in
 * `nonexpert-report.ts`.
 */
import { z } from 'zod';
import type { ModelOptions } from '../../models/index.ts';
import { makeJob, type Job } from '../job.ts';
import { defineStudy, optionsSetting, type PresetName, type StudyJobs, type StudyPlanContext } from '../study.ts';
import { cardiacPhantom, simulateCardiac, type CardiacPhantom } from './cardiac-phantom.ts';
import { nonexpertReport } from './nonexpert-report.ts';

const nonexpertArm = z.object({ rater: z.string(), loss: z.enum(['ce+dice', 'mae+dice']) });
/** One training arm: whose labels, with which loss. */
export type NonexpertArm = z.infer<typeof nonexpertArm>;

const nonexpertSettings = z.object({
  models: z.array(z.string()),
  /** Architecture overrides per model (smaller networks for the quick presets). */
  modelOptions: z.record(z.string(), optionsSetting<ModelOptions>('model options')),
  arms: z.array(nonexpertArm),
  repeats: z.number().int().positive(),
  /** The training phantom (splits 60/20/20 by subject). */
  phantom: cardiacPhantom,
  /** The shifted-domain phantom (every case is a test case), drawn with seed + 1000. */
  shifted: cardiacPhantom,
  train: z.object({
    iterations: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    lr: z.number().positive(),
    validateEvery: z.number().int().positive(),
    checkpointEvery: z.number().int().positive(),
  }),
});
/** A preset's settings (all JSON). */
export type NonexpertSettings = z.infer<typeof nonexpertSettings>;

const plannedSettings = nonexpertSettings.extend({ testSets: z.array(z.string()), seed: z.number() });
/** The settings a plan records: its preset's, the test sets it evaluates on and its base seed. */
export type NonexpertPlanSettings = z.infer<typeof plannedSettings>;

const ALL_ARMS: NonexpertArm[] = [
  { rater: 'expert', loss: 'ce+dice' },
  { rater: 'nonexpert1', loss: 'ce+dice' },
  { rater: 'nonexpert1', loss: 'mae+dice' },
  { rater: 'nonexpert2', loss: 'ce+dice' },
  { rater: 'nonexpert2', loss: 'mae+dice' },
];

const MODELS = ['unet2d', 'attention-unet2d', 'enet'];

/** The presets. `default` sizes were chosen by timing single train jobs (README "Studies"). */
export const NONEXPERT_PRESETS: Record<PresetName, NonexpertSettings> = {
  smoke: {
    models: ['unet2d'],
    modelOptions: { unet2d: { features: [8, 16] } },
    arms: ALL_ARMS.slice(0, 3),
    repeats: 1,
    phantom: { subjects: 8, size: 32, vendors: ['A', 'B'], frames: 4 },
    shifted: { subjects: 3, size: 32, vendors: ['C', 'D'], frames: 4 },
    train: { iterations: 20, batchSize: 4, lr: 1e-2, validateEvery: 20, checkpointEvery: 5 },
  },
  default: {
    models: MODELS,
    modelOptions: { unet2d: { features: [16, 32, 64] }, 'attention-unet2d': { features: [16, 32, 64] }, enet: {} },
    arms: ALL_ARMS,
    repeats: 1,
    phantom: { subjects: 40, size: 64, vendors: ['A', 'B'], frames: 6 },
    shifted: { subjects: 12, size: 64, vendors: ['C', 'D'], frames: 6 },
    train: { iterations: 500, batchSize: 8, lr: 3e-3, validateEvery: 100, checkpointEvery: 50 },
  },
  paper: {
    models: MODELS,
    modelOptions: {},
    arms: ALL_ARMS,
    repeats: 3,
    // 167 subjects split 60/20/20 give 100 training subjects, as ACDC's training set.
    phantom: { subjects: 167, size: 128, vendors: ['A', 'B'], frames: 12 },
    shifted: { subjects: 40, size: 128, vendors: ['C', 'D'], frames: 12 },
    train: { iterations: 4000, batchSize: 8, lr: 3e-3, validateEvery: 200, checkpointEvery: 100 },
  },
};

const SHIFTED_SEED_OFFSET = 1000;

/** A dataset input of a job: an existing folder (`dataPath` in the spec) or the simulate job it needs. */
function dataInput(
  given: string | undefined,
  simulate: Job | null,
): { spec: { dataPath?: string }; needs: Record<string, Job> } {
  return given !== undefined ? { spec: { dataPath: given }, needs: {} } : { spec: {}, needs: { data: simulate! } };
}

/** The jobs for a preset's settings; see the file comment. */
function nonexpertJobs(s: NonexpertSettings, { seed, options }: StudyPlanContext): StudyJobs<NonexpertPlanSettings> {
  const jobs: Job[] = [];
  const add = (job: Job): Job => {
    jobs.push(job);
    return job;
  };
  const raters = [...new Set(s.arms.map((a) => a.rater))];
  const simulate = (p: CardiacPhantom, simSeed: number, simRaters: string[], testSet: string): Job =>
    add(simulateCardiac(p, simRaters, simSeed, testSet));
  const inDomainSim = options.data === undefined ? simulate(s.phantom, seed, raters, 'in-domain') : null;
  const testSets: { name: string; data: ReturnType<typeof dataInput>; split: string | null }[] = [
    { name: 'in-domain', data: dataInput(options.data, inDomainSim), split: 'test' },
  ];
  if (options.shiftedData !== undefined)
    testSets.push({ name: 'shifted', data: dataInput(options.shiftedData, null), split: null });
  else if (options.data === undefined)
    testSets.push({
      name: 'shifted',
      data: dataInput(undefined, simulate(s.shifted, seed + SHIFTED_SEED_OFFSET, ['expert'], 'shifted')),
      split: null,
    });

  const trainData = testSets[0].data;
  const entries: { role: string; tags: Record<string, string | number> }[] = [];
  const evaluations: Record<string, Job> = {};
  const seeds = [seed];
  for (let repeat = 1; repeat <= s.repeats; repeat++) {
    const trainSeed = seed + repeat - 1;
    if (!seeds.includes(trainSeed)) seeds.push(trainSeed);
    for (const model of s.models) {
      for (const arm of s.arms) {
        const tags = { model, rater: arm.rater, loss: arm.loss, repeat };
        const spec: Job['spec'] = {
          ...trainData.spec,
          model,
          modelOptions: s.modelOptions[model] ?? {},
          labelSource: arm.rater,
          loss: arm.loss,
          ...s.train,
          seed: trainSeed,
        };
        const trained = add(makeJob('train', spec, trainData.needs, tags));
        for (const test of testSets) {
          const predicted = add(
            makeJob(
              'predict',
              { ...test.data.spec, split: test.split },
              { ...test.data.needs, model: trained },
              { ...tags, testSet: test.name },
            ),
          );
          const evaluated = add(
            makeJob(
              'evaluate',
              { ...test.data.spec, split: test.split, against: 'truth' },
              { ...test.data.needs, pred: predicted },
              { ...tags, testSet: test.name },
            ),
          );
          const role = `e${entries.length}`;
          entries.push({ role, tags: { ...tags, testSet: test.name } });
          evaluations[role] = evaluated;
        }
      }
    }
  }
  add(makeJob('aggregate', { entries, metrics: ['dice', 'hd'] }, evaluations));
  if (
    !seeds.includes(seed + SHIFTED_SEED_OFFSET) &&
    testSets.some((t) => t.name === 'shifted') &&
    options.shiftedData === undefined
  )
    seeds.push(seed + SHIFTED_SEED_OFFSET);
  return { settings: { ...s, testSets: testSets.map((t) => t.name), seed }, seeds, jobs };
}

export const nonexpertStudy = defineStudy({
  name: 'nonexpert',
  title: 'Non-expert vs expert annotation for cardiac cine MRI segmentation',
  presets: {
    smoke:
      'U-Net (tiny) on expert and nonexpert1 (CE+Dice, MAE+Dice), 8-subject 32-px phantom, 20 iterations: about a minute',
    default:
      '3 models × 5 arms, 1 repeat, 40-subject 64-px phantom + 12-subject shifted phantom, 500 iterations: about half an hour on 2 idle cores (estimated)',
    paper:
      '3 models × 5 arms × 3 repeats, 100 training subjects at 128 px, 4000 iterations: days of CPU, meant for many workers',
  },
  presetSettings: NONEXPERT_PRESETS,
  settings: plannedSettings,
  plan: nonexpertJobs,
  report: nonexpertReport,
});

/** The jobs of the study at `preset`; see the file comment. */
export const planNonexpert = nonexpertStudy.plan;
