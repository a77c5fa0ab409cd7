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
import { cardiacPhantom, simulateCardiac, type CardiacPhantom } from './cardiac-phantom.ts';
import { propagationReport } from './propagation-report.ts';

const propagationMethod = z.enum(['identity', 'demons', 'learned', 'learned-seg', 'elastix']);
/** A propagation method of the study (the learned ones are the `register` jobs' models). */
export type PropagationMethod = z.infer<typeof propagationMethod>;

const propagationSettings = z.object({
  /** Training phantom (vendors A, B; splits 60/20/20 by subject). */
  phantom: cardiacPhantom,
  /** Unseen-vendor test phantom (every case a test case), drawn with seed + 1000. */
  shifted: cardiacPhantom,
  /** Methods whose propagated labels are scored against the cine truth (train and val subjects). */
  propagation: z.array(propagationMethod),
  /** elastix propagates only the first this many subjects (it starts one program per slice pair). */
  elastixSubjects: z.number().int().nonnegative(),
  /** Our demons (slice by slice): iterations and field smoothing σ (voxels); ITK's defaults otherwise. */
  demons: z.object({ iterations: z.number().int().positive(), standardDeviation: z.number().positive() }),
  /** Learned registration training (VoxelMorph, NCC + 0.01 smoothness; 'learned-seg' adds 0.01 · Dice). */
  learned: z.object({
    steps: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    learningRate: z.number().positive(),
  }),
  /** Training arms besides the ED/ES-only baseline: the propagation method whose frames are added. */
  arms: z.array(propagationMethod),
  repeats: z.number().int().positive(),
  modelOptions: optionsSetting<ModelOptions>('model options'),
  train: z.object({
    iterations: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    lr: z.number().positive(),
    loss: z.literal('ce'),
    schedule: z.literal('poly'),
    selectBy: z.literal('dice'),
    validateEvery: z.number().int().positive(),
    checkpointEvery: z.number().int().positive(),
  }),
});
/** A preset's settings (all JSON). */
export type PropagationSettings = z.infer<typeof propagationSettings>;

const plannedSettings = propagationSettings.extend({
  armNames: z.array(z.string()),
  testSets: z.array(z.string()),
  seed: z.number(),
});
/** The settings a plan records: its preset's, its arms' names (the baseline first), its test sets and base seed. */
export type PropagationPlanSettings = z.infer<typeof plannedSettings>;

const SEG_WEIGHT = 0.01;

export const PROPAGATION_PRESETS: Record<PresetName, PropagationSettings> = {
  smoke: {
    phantom: { subjects: 5, size: 32, vendors: ['A', 'B'], frames: 4 },
    shifted: { subjects: 2, size: 32, vendors: ['C', 'D'], frames: 4 },
    propagation: ['identity', 'demons', 'learned', 'learned-seg'],
    elastixSubjects: 0,
    demons: { iterations: 20, standardDeviation: 1 },
    learned: { steps: 10, batchSize: 2, learningRate: 1e-3 },
    arms: ['demons'],
    repeats: 1,
    modelOptions: { features: [8, 16] },
    train: {
      iterations: 20,
      batchSize: 4,
      lr: 1e-2,
      loss: 'ce',
      schedule: 'poly',
      selectBy: 'dice',
      validateEvery: 20,
      checkpointEvery: 10,
    },
  },
  default: {
    phantom: { subjects: 20, size: 64, vendors: ['A', 'B'], frames: 8 },
    shifted: { subjects: 10, size: 64, vendors: ['C', 'D'], frames: 8 },
    propagation: ['identity', 'demons', 'learned', 'learned-seg', 'elastix'],
    elastixSubjects: 3,
    demons: { iterations: 50, standardDeviation: 1 },
    learned: { steps: 600, batchSize: 4, learningRate: 1e-3 },
    arms: ['demons', 'learned'],
    repeats: 3,
    modelOptions: { features: [16, 32, 64] },
    train: {
      iterations: 600,
      batchSize: 8,
      lr: 1e-3,
      loss: 'ce',
      schedule: 'poly',
      selectBy: 'dice',
      validateEvery: 100,
      checkpointEvery: 100,
    },
  },
  paper: {
    phantom: { subjects: 150, size: 128, vendors: ['A', 'B'], frames: 25 },
    shifted: { subjects: 100, size: 128, vendors: ['C', 'D'], frames: 25 },
    propagation: ['identity', 'demons', 'learned', 'learned-seg', 'elastix'],
    elastixSubjects: 150,
    demons: { iterations: 50, standardDeviation: 1 },
    // Adam 1e-3, not VoxelMorph's 1e-4: at 1e-4 a few hundred steps leave the field near zero (README), at 1e-3 600 steps match demons.
    learned: { steps: 5000, batchSize: 8, learningRate: 1e-3 },
    arms: ['identity', 'demons', 'learned', 'learned-seg', 'elastix'],
    repeats: 5,
    modelOptions: { features: [32, 64, 128, 256] },
    train: {
      iterations: 8000,
      batchSize: 8,
      lr: 1e-3,
      loss: 'ce',
      schedule: 'poly',
      selectBy: 'dice',
      validateEvery: 200,
      checkpointEvery: 200,
    },
  },
};

const SHIFTED_SEED_OFFSET = 1000;
/** The label source propagated and trained on. */
const RATER = 'expert';

/** The jobs for a preset's settings; see the file comment. */
function propagationJobs(
  s: PropagationSettings,
  { preset, seed, options }: StudyPlanContext,
): StudyJobs<PropagationPlanSettings> {
  const jobs: Job[] = [];
  const add = (job: Job): Job => (jobs.push(job), job);
  const sim = (p: CardiacPhantom, simSeed: number, testSet: string): Job =>
    add(simulateCardiac(p, [RATER], simSeed, testSet));
  const given = options.data;
  const trainSim = given === undefined ? sim(s.phantom, seed, 'in-domain') : null;
  const data: { spec: Job['spec']; needs: Record<string, Job> } =
    given !== undefined ? { spec: { dataPath: given }, needs: {} } : { spec: {}, needs: { data: trainSim! } };
  const testSets: { name: string; spec: Job['spec']; needs: Record<string, Job>; split: string | null }[] = [
    { name: 'in-domain', ...data, split: 'test' },
  ];
  if (options.shiftedData !== undefined)
    testSets.push({ name: 'shifted', spec: { dataPath: options.shiftedData }, needs: {}, split: null });
  else if (given === undefined)
    testSets.push({
      name: 'shifted',
      spec: {},
      needs: { data: sim(s.shifted, seed + SHIFTED_SEED_OFFSET, 'shifted') },
      split: null,
    });

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

  const entries: { role: string; tags: Record<string, string | number> }[] = [];
  const evaluations: Record<string, Job> = {};
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
      const tags = { arm: arm.arm, repeat };
      const spec: Job['spec'] = {
        ...arm.spec,
        model: 'unet2d',
        modelOptions: s.modelOptions,
        labelSource: arm.labelSource,
        ...s.train,
        seed: trainSeed,
      };
      const trained = add(makeJob('train', spec, arm.needs, tags));
      for (const test of testSets) {
        const predicted = add(
          makeJob(
            'predict',
            { ...test.spec, split: test.split },
            { ...test.needs, model: trained },
            { ...tags, testSet: test.name },
          ),
        );
        const evaluated = add(
          makeJob(
            'evaluate',
            { ...test.spec, split: test.split, against: 'truth' },
            { ...test.needs, pred: predicted },
            { ...tags, testSet: test.name },
          ),
        );
        const role = `e${entries.length}`;
        entries.push({ role, tags: { ...tags, testSet: test.name } });
        evaluations[role] = evaluated;
      }
    }
  }
  add(makeJob('aggregate', { entries, metrics: ['dice'] }, evaluations));
  if (testSets.some((t) => t.name === 'shifted') && options.shiftedData === undefined)
    seeds.push(seed + SHIFTED_SEED_OFFSET);
  return {
    settings: { ...s, armNames: arms.map((a) => a.arm), testSets: testSets.map((t) => t.name), seed },
    seeds,
    jobs,
  };
}

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
