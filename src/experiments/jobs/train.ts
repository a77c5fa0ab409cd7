/**
 * `train`: trains a network (`train/`) on the needed dataset into the job folder's `model/`, always with
 * `resume`, so a run killed mid-training continues from its last checkpoint and ends with the same weights.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../../errors.ts';
import type { LossName } from '../../losses/index.ts';
import { train, TRAIN_DEFAULTS, trainingImageIds } from '../../train/index.ts';
import { datasetInput, defineJobKind } from '../job-kind.ts';

/**
 * The spec of a train job: the trainer's options without the paths and threads (the fields named here are checked
 * here, the others by the trainer); `images` (0-based indices into the training images in dataset order, as the
 * sub-set rule gives them) restricts training to those cases.
 */
const trainSpec = z.looseObject({
  labelSource: z.string(),
  model: z.string().optional(),
  /** The trainer checks the name. */
  loss: z.custom<LossName>((v) => typeof v === 'string', 'expected a loss name').optional(),
  iterations: z.number().int().positive().optional(),
  seed: z.number().optional(),
  caseIds: z.array(z.string()).optional(),
  images: z.array(z.number()).optional(),
});

/** The `train` job kind (see the file comment): resumable; writes `model/`. */
export const trainJob = defineJobKind({
  kind: 'train',
  resumable: true,
  spec: trainSpec,
  describe: (s) =>
    `${s.model ?? TRAIN_DEFAULTS.model} on ${s.labelSource}, ${s.loss ?? TRAIN_DEFAULTS.loss}, ${s.iterations ?? TRAIN_DEFAULTS.iterations} it, seed ${s.seed ?? TRAIN_DEFAULTS.seed}`,
  async run({ images, ...spec }, job, context) {
    const data = datasetInput(job, context);
    if (images !== undefined) {
      const ids = trainingImageIds(data);
      const outside = images.find((i) => !(Number.isInteger(i) && i >= 0 && i < ids.length));
      if (outside !== undefined)
        throw new MultiraterError(
          'invalid_argument',
          `job ${job.key}: image index ${outside} outside the ${ids.length} training images of ${data}`,
        );
      spec.caseIds = images.map((i) => ids[i]);
    }
    let total = 1;
    const result = await train(
      { ...spec, data, out: join(context.dir, 'model'), threads: context.threads, resume: true },
      (e) => {
        if (e.type === 'start') {
          total = e.config.iterations;
          if (e.startIteration > 0) context.log(`resuming at iteration ${e.startIteration}`);
        }
        if (e.type === 'step') context.progress((e.iteration + 1) / total);
      },
    );
    return {
      model: 'model',
      iterations: result.iterations,
      bestIteration: result.best?.iteration ?? null,
      finalTrainLoss: result.finalTrainLoss,
    };
  },
});
