/**
 * `register`: trains a learned (VoxelMorph-style) registration model (`registration/trainRegistration`) on the
 * needed dataset's cine frames into the job folder's `model/`. Spec: the trainer's options without paths and
 * threads (`steps`, `batchSize`, `learningRate`, `similarity`, `segmentationWeight`, `labels`, `splits`, `seed`, …).
 */
import { join } from 'node:path';
import type { TrainRegistrationOptions } from '../../registration/index.ts';
import { datasetInput, type JobKind } from '../job-kind.ts';

/** The spec of a register job. */
export type RegisterJobSpec = Omit<TrainRegistrationOptions, 'threads' | 'onStep'>;

export const registerJob: JobKind = {
  kind: 'register',
  resumable: false,
  describe: (job) => {
    const s = job.spec as unknown as RegisterJobSpec;
    const seg = (s.segmentationWeight ?? 0) > 0 ? ` + ${s.segmentationWeight} Dice (${s.labels ?? 'first rater'})` : '';
    return `learned ${s.dims ?? 2}D, ${s.similarity ?? 'ncc'}${seg}, ${s.steps ?? 1000} steps, lr ${s.learningRate ?? 1e-4}`;
  },
  async run(job, context) {
    const { trainRegistration } = await import('../../registration/index.ts');
    const spec = job.spec as unknown as RegisterJobSpec;
    const result = await trainRegistration(datasetInput(job, context), join(context.dir, 'model'), {
      ...spec,
      threads: context.threads,
      onStep: (step, steps) => context.progress(step / steps),
    });
    context.log(`trained on ${result.subjects} subjects, ${result.steps} steps, final loss ${result.finalLoss.toFixed(4)}`);
    return { model: 'model', steps: result.steps, finalLoss: result.finalLoss, subjects: result.subjects };
  },
};
