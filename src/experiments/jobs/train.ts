/**
 * `train`: trains a network (`train/`) on the needed dataset into the job folder's `model/`, always with
 * `resume`, so a run killed mid-training continues from its last checkpoint and ends with the same weights.
 */
import { join } from 'node:path';
import { MultiraterError } from '../../errors.ts';
import type { TrainOptions } from '../../train/index.ts';
import { datasetInput, type JobKind } from '../job-kind.ts';

/**
 * The spec of a train job: the trainer's options without the paths and threads; `images` (0-based indices into the
 * training images in dataset order, as the sub-set rule gives them) restricts training to those cases.
 */
export type TrainJobSpec = Omit<TrainOptions, 'data' | 'out' | 'threads' | 'resume' | 'stopAfter'> & { images?: number[] };

export const trainJob: JobKind = {
  kind: 'train',
  resumable: true,
  describe: (job) => {
    const s = job.spec as unknown as TrainJobSpec;
    return `${s.model ?? 'unet2d'} on ${s.labelSource}, ${s.loss ?? 'ce+dice'}, ${s.iterations ?? 600} it, seed ${s.seed ?? 1}`;
  },
  async run(job, context) {
    const { train } = await import('../../train/index.ts');
    const { images, ...spec } = job.spec as unknown as TrainJobSpec;
    const data = datasetInput(job, context);
    if (images !== undefined) {
      const { trainingImageIds } = await import('../../train/index.ts');
      const ids = trainingImageIds(data);
      const outside = images.find((i) => !(Number.isInteger(i) && i >= 0 && i < ids.length));
      if (outside !== undefined) throw new MultiraterError('invalid_argument', `job ${job.key}: image index ${outside} outside the ${ids.length} training images of ${data}`);
      spec.caseIds = images.map((i) => ids[i]);
    }
    let total = 1;
    const result = await train({ ...spec, data, out: join(context.dir, 'model'), threads: context.threads, resume: true }, (e) => {
      if (e.type === 'start') {
        total = e.config.iterations;
        if (e.startIteration > 0) context.log(`resuming at iteration ${e.startIteration}`);
      }
      if (e.type === 'step') context.progress((e.iteration + 1) / total);
    });
    return { model: 'model', iterations: result.iterations, bestIteration: result.best?.iteration ?? null, finalTrainLoss: result.finalTrainLoss };
  },
};
