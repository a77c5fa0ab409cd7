/**
 * The propagation study (seed: "label propagation by registration for cardiac MRI"): the labelled ED and ES
 * frames of each training cine are registered onto its other frames and their labels warped there (each frame from
 * the nearer labelled frame); a 2D U-Net trained on ED/ES + the propagated frames is compared with the same network
 * trained on ED/ES only, on test subjects of the training vendors (A, B) and of unseen vendors (C, D: a second
 * phantom drawn with seed + 1000). Beyond the seed, since the phantom knows the truth of every frame, the propagated
 * labels are scored per frame for identity (labels copied), demons, learned, learned + segmentation loss and elastix
 * (when installed), and ED→ES registration accuracy and time is measured on mid-ventricular slices of the test
 * subjects beside ITK's demons (when its peer builds). Tables in `propagation-report.ts`.
 */
import { z } from 'zod';
import type { ModelOptions } from '../../models/index.ts';
import { makeJob, type Job } from '../job.ts';
import { defineStudy, optionsSetting, type PresetName, type StudyJobs, type StudyPlanContext } from '../study.ts';
import { cardiacPhantom, cardiacPhantoms, cardiacPlan } from './cardiac-phantom.ts';
import { propagationReport } from './propagation-report.ts';
import { trainSettings } from './train-settings.ts';

/** A propagation method of the study (the learned ones are the `register` jobs' models). */
export type PropagationMethod = 'identity' | 'demons' | 'learned' | 'learned-seg' | 'elastix';
/** Every propagation method, elastix last (it runs only where installed). */
const ALL_METHODS: PropagationMethod[] = ['identity', 'demons', 'learned', 'learned-seg', 'elastix'];
const propagationMethod: z.ZodType<PropagationMethod> = z.enum(ALL_METHODS);

/** The zod schema of a preset's settings (`PropagationSettings`); the settings a plan records extend it. */
export const propagationSettingsSchema = z.object({
  /** Training phantom (vendors A, B; splits 60/20/20 by subject). */
  phantom: cardiacPhantom,
  /** Unseen-vendor test phantom (every case a test case), drawn with seed + 1000. */
  shifted: cardiacPhantom,
  /** Methods whose propagated labels are scored against the cine truth (train and val subjects). */
  propagation: z.array(propagationMethod),
  /** elastix propagates only the first this many subjects (it starts one program per slice pair). */
  elastixSubjects: z.number().int().nonnegative(),
  /** Our demons (slice by slice): iterations and field smoothing σ (voxels); ITK's defaults otherwise. */
  demons: z.object({
    /** Demons iterations per resolution level of each slice pair (ITK NumberOfIterations). */
    iterations: z.number().int().positive(),
    /** σ of the Gaussian smoothing the displacement field after each update (voxels). */
    standardDeviation: z.number().positive(),
  }),
  /** Learned registration training (VoxelMorph, NCC + 0.01 smoothness; 'learned-seg' adds 0.01 · Dice). */
  learned: z.object({
    /** Training steps (batches) of each learned `register` job. */
    steps: z.number().int().positive(),
    /** Slice pairs per batch. */
    batchSize: z.number().int().positive(),
    /** Adam learning rate. */
    learningRate: z.number().positive(),
  }),
  /** Training arms besides the ED/ES-only baseline: the propagation method whose frames are added. */
  arms: z.array(propagationMethod),
  /** Repeats of the baseline and every arm, with training seeds seed, seed + 1, …. */
  repeats: z.number().int().positive(),
  /** Architecture overrides of the 2D U-Net (`unet2d`) every arm trains. */
  modelOptions: optionsSetting<ModelOptions>('model options'),
  /** The seed's U-Net training: cross-entropy, polynomial decay, the checkpoint of best validation Dice. */
  train: trainSettings.extend({
    /** Cross-entropy. */
    loss: z.literal('ce'),
    /** Polynomial learning-rate decay ((1 − t/T)^0.9). */
    schedule: z.literal('poly'),
    /** Keep the checkpoint of the best validation mean Dice. */
    selectBy: z.literal('dice'),
  }),
});
/** A preset's settings (all JSON). */
export type PropagationSettings = z.infer<typeof propagationSettingsSchema>;

const plannedSettings = propagationSettingsSchema.extend({
  armNames: z.array(z.string()),
  testSets: z.array(z.string()),
  seed: z.number(),
});
/** The settings a plan records: its preset's, its arms' names (the baseline first), its test sets and base seed. */
export type PropagationPlanSettings = z.infer<typeof plannedSettings>;

const SEG_WEIGHT = 0.01;
/** The train settings every preset pins (the seed's). */
const SEED_TRAINING = { loss: 'ce', schedule: 'poly', selectBy: 'dice' } as const;
/** Our demons as ITK's defaults run it, but for σ = 1 voxel (the seed's registration is not demons). */
const DEMONS = { iterations: 50, standardDeviation: 1 };

/** The default preset; the paper preset is it at the seed's scale. */
const DEFAULT_PRESET: PropagationSettings = {
  ...cardiacPhantoms({ subjects: 20, shiftedSubjects: 10, size: 64, frames: 8 }),
  propagation: ALL_METHODS,
  elastixSubjects: 3,
  demons: DEMONS,
  learned: { steps: 600, batchSize: 4, learningRate: 1e-3 },
  arms: ['demons', 'learned'],
  repeats: 3,
  modelOptions: { features: [16, 32, 64] },
  train: { iterations: 600, batchSize: 8, lr: 1e-3, ...SEED_TRAINING, validateEvery: 100, checkpointEvery: 100 },
};

/**
 * The propagation study's settings per preset: phantoms, propagation methods, demons and learned settings, training.
 */
export const PROPAGATION_PRESETS: Record<PresetName, PropagationSettings> = {
  smoke: {
    ...cardiacPhantoms({ subjects: 5, shiftedSubjects: 2, size: 32, frames: 4 }),
    propagation: ALL_METHODS.filter((m) => m !== 'elastix'),
    elastixSubjects: 0,
    demons: { ...DEMONS, iterations: 20 },
    learned: { steps: 10, batchSize: 2, learningRate: 1e-3 },
    arms: ['demons'],
    repeats: 1,
    modelOptions: { features: [8, 16] },
    train: { iterations: 20, batchSize: 4, lr: 1e-2, ...SEED_TRAINING, validateEvery: 20, checkpointEvery: 10 },
  },
  default: DEFAULT_PRESET,
  paper: {
    ...DEFAULT_PRESET,
    ...cardiacPhantoms({ subjects: 150, shiftedSubjects: 100, size: 128, frames: 25 }),
    elastixSubjects: 150,
    // Adam 1e-3, not VoxelMorph's 1e-4: at 1e-4 a few hundred steps leave the field near zero (README), at 1e-3 600 steps match demons.
    learned: { steps: 5000, batchSize: 8, learningRate: 1e-3 },
    arms: ALL_METHODS,
    repeats: 5,
    modelOptions: { features: [32, 64, 128, 256] },
    train: { iterations: 8000, batchSize: 8, lr: 1e-3, ...SEED_TRAINING, validateEvery: 200, checkpointEvery: 200 },
  },
};

/** The label source propagated and trained on. */
const RATER = 'expert';

/** The jobs for a preset's settings; see the file comment. */
function propagationJobs(
  s: PropagationSettings,
  { preset, seed, options }: StudyPlanContext,
): StudyJobs<PropagationPlanSettings> {
  const plan = cardiacPlan(s, [RATER], seed, options);
  const { add, testSets } = plan;
  const data = testSets[0];

  const learnedSpec = (segmentation: boolean): Job['spec'] => ({
    ...data.spec,
    dims: 2,
    steps: s.learned.steps,
    batchSize: s.learned.batchSize,
    learningRate: s.learned.learningRate,
    similarity: 'ncc',
    ...(segmentation ? { segmentationWeight: SEG_WEIGHT, labels: RATER } : {}),
    splits: ['train'],
    seed,
  });
  const usesLearned = (m: PropagationMethod): boolean => s.propagation.includes(m) || s.arms.includes(m);
  const models: Partial<Record<PropagationMethod, Job>> = {};
  if (usesLearned('learned'))
    models.learned = add(makeJob('register', learnedSpec(false), data.needs, { method: 'learned' }));
  if (usesLearned('learned-seg'))
    models['learned-seg'] = add(makeJob('register', learnedSpec(true), data.needs, { method: 'learned-seg' }));

  const propagated: Partial<Record<PropagationMethod, Job>> = {};
  for (const method of [...new Set([...s.propagation, ...s.arms])]) {
    const spec: Job['spec'] = {
      ...data.spec,
      method: method === 'learned-seg' ? 'learned' : method,
      labels: RATER,
      fromEs: true,
      dims: 2,
      splits: ['train', 'val'],
      ...(method === 'demons' ? { demons: s.demons } : {}),
      ...(method === 'elastix' && !s.arms.includes('elastix') ? { maxSubjects: s.elastixSubjects } : {}),
    };
    const model = models[method];
    propagated[method] = add(makeJob('propagate', spec, { ...data.needs, ...(model ? { model } : {}) }, { method }));
  }

  const learnedNames = (['learned', 'learned-seg'] as const).filter((m) => models[m] !== undefined);
  const pairNeeds: Record<string, Job> = { ...data.needs };
  for (const m of learnedNames) pairNeeds[`model:${m}`] = models[m]!;
  add(
    makeJob(
      'register-pairs',
      { ...data.spec, split: 'test', demons: s.demons, learned: [...learnedNames], peers: preset !== 'smoke' },
      pairNeeds,
      {},
    ),
  );

  const seeds = [seed];
  const arms: { arm: string; spec: Job['spec']; needs: Record<string, Job>; labelSource: string }[] = [
    { arm: 'ED/ES', spec: data.spec, needs: data.needs, labelSource: RATER },
    ...s.arms.map((m) => ({
      arm: `ED/ES + ${m}`,
      spec: {},
      needs: { data: propagated[m]! },
      labelSource: 'propagated',
    })),
  ];
  for (let repeat = 1; repeat <= s.repeats; repeat++) {
    const trainSeed = seed + repeat - 1;
    if (!seeds.includes(trainSeed)) seeds.push(trainSeed);
    for (const arm of arms) {
      const spec = { model: 'unet2d', modelOptions: s.modelOptions, labelSource: arm.labelSource, ...s.train };
      plan.trainAndEvaluate({ ...spec, seed: trainSeed }, { arm: arm.arm, repeat }, arm);
    }
  }
  plan.aggregate(['dice']);
  if (plan.shiftedSeed !== null) seeds.push(plan.shiftedSeed);
  return {
    settings: { ...s, armNames: arms.map((a) => a.arm), testSets: testSets.map((t) => t.name), seed },
    seeds,
    jobs: plan.jobs,
  };
}

/** The `propagation` study (seed: label propagation by registration for cardiac MRI; see the file comment). */
export const propagationStudy = defineStudy({
  name: 'propagation',
  title: 'Label propagation by registration for cardiac cine MRI segmentation',
  presets: {
    smoke:
      'ED/ES vs ED/ES + demons-propagated frames, 5-subject 32-px 4-frame phantom, tiny U-Net, 20 iterations; propagation by identity/demons/learned (10 steps), no peers: about 10 s',
    default:
      'ED/ES vs + demons / + learned frames, 3 repeats, 20-subject (A, B) 64-px 8-frame phantom + 10-subject C/D phantom (the seed: 150 subjects, 25 frames, 4 vendors), U-Net 16-32-64 600 iterations, learned registration 600 steps at Adam 1e-3, elastix on 3 subjects: 21 min with --workers 2 --threads 1 on 2 shared cores (measured)',
    paper:
      'every propagation method as an arm, 5 repeats, 150 training subjects at 128 px and 25 frames, U-Net 32-64-128-256, 8000 iterations, learned registration 5000 steps at Adam 1e-3: days of CPU, meant for many workers',
  },
  presetSettings: PROPAGATION_PRESETS,
  settings: plannedSettings,
  plan: propagationJobs,
  report: propagationReport,
});

/** The jobs of the study at `preset`; see the file comment. */
export const planPropagation = propagationStudy.plan;
