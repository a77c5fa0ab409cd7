/**
 * `finetune`: adapts the needed multi-expert model (`train/finetune`) to a new expert on the images of one way of
 * the seed's sub-set rule, into the job folder's `model/`. The spec names the images (`images`, 0-based indices
 * into the training images in dataset order) as the plan computed them; the run checks the rule gives the same.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../../errors.ts';
import { datasetInput, defineJobKind, needPath } from '../job-kind.ts';

/**
 * The spec of a finetune job: the fine-tuner's options without the paths and threads (the fields named here are
 * checked here, the others by the fine-tuner), plus the planned images and the base model's experts (for tables).
 */
const finetuneSpec = z.looseObject({
  rater: z.string(),
  samples: z.number().int().nonnegative(),
  way: z.number().int().nonnegative(),
  mode: z.enum(['full', 'expert-only']).optional(),
  iterations: z.number().int().positive().optional(),
  images: z.array(z.number()),
  experts: z.array(z.string()).optional(),
});

/** The `finetune` job kind (see the file comment): resumable, needs `model` (a multi-expert model) and the dataset. */
export const finetuneJob = defineJobKind({
  kind: 'finetune',
  resumable: true,
  spec: finetuneSpec,
  describe: (s) => `to ${s.rater}, ${s.samples} images (way ${s.way}), ${s.mode ?? 'full'}, ${s.iterations ?? 1000} it`,
  async run({ images, experts: _experts, ...spec }, job, context) {
    const { finetune } = await import('../../train/index.ts');
    let total = 1;
    const result = await finetune(
      {
        ...spec,
        model: needPath(job, context, 'model', 'model'),
        data: datasetInput(job, context),
        out: join(context.dir, 'model'),
        threads: context.threads,
        resume: true,
      },
      (e) => {
        if (e.type === 'start') total = e.config.iterations;
        if (e.type === 'step') context.progress((e.iteration + 1) / total);
      },
    );
    if (JSON.stringify(result.finetune.images) !== JSON.stringify(images)) {
      throw new MultiraterError(
        'invalid_argument',
        `job ${job.key}: planned images ${images.join(',')} but way ${spec.way} of the dataset's training images is ${result.finetune.images.join(',')}`,
      );
    }
    return {
      model: 'model',
      iterations: result.iterations,
      images: result.finetune.caseIds,
      finalTrainLoss: result.finalTrainLoss,
    };
  },
});
