/**
 * `register`: trains a learned (VoxelMorph-style) registration model (`registration/trainRegistration`) on the
 * needed dataset's cine frames into the job folder's `model/`. Spec: the trainer's options without paths and
 * threads (`steps`, `batchSize`, `learningRate`, `similarity`, `segmentationWeight`, `labels`, `splits`, `seed`, …).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { datasetInput, defineJobKind, splitSpec } from '../job-kind.ts';

/** The spec of a register job: the trainer's options without threads (the fields named here are checked here, the others by the trainer). */
const registerSpec = z.looseObject({
  dims: z.union([z.literal(2), z.literal(3)]).optional(),
  steps: z.number().int().positive().optional(),
  learningRate: z.number().optional(),
  similarity: z.enum(['ncc', 'mse']).optional(),
  segmentationWeight: z.number().optional(),
  labels: z.string().optional(),
  splits: z.array(splitSpec).optional(),
});

/**
 * The `register` job kind (see the file comment); its result names `model` and gives `steps`, `finalLoss`, `subjects`.
 */
export const registerJob = defineJobKind({
  kind: 'register',
  resumable: false,
  spec: registerSpec,
  describe: (s) => {
    const seg = (s.segmentationWeight ?? 0) > 0 ? ` + ${s.segmentationWeight} Dice (${s.labels ?? 'first rater'})` : '';
    return `learned ${s.dims ?? 2}D, ${s.similarity ?? 'ncc'}${seg}, ${s.steps ?? 1000} steps, lr ${s.learningRate ?? 1e-4}`;
  },
  async run(spec, job, context) {
    const { trainRegistration } = await import('../../registration/index.ts');
    const result = await trainRegistration(datasetInput(job, context), join(context.dir, 'model'), {
      ...spec,
      threads: context.threads,
      onStep: (step, steps) => context.progress(step / steps),
    });
    context.log(
      `trained on ${result.subjects} subjects, ${result.steps} steps, final loss ${result.finalLoss.toFixed(4)}`,
    );
    return { model: 'model', steps: result.steps, finalLoss: result.finalLoss, subjects: result.subjects };
  },
});
