/**
 * `train-annotators`: trains from several annotators at once (`annotators/annotator-training.ts`) on the needed dataset
 * into the job folder's `model/`: the annotator-CM model (method 'annotator-cm', oracle included) or a plain
 * network on the soft mean of its raters' labels (method 'mean-labels'; with one rater, plain cross-entropy on that
 * rater's labels). It trains with `resume`, so a job killed mid-training continues from its last checkpoint and
 * ends with the weights of an uninterrupted run.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { CM_LOSS_NAMES } from '../../losses/index.ts';
import { TRAIN_DEFAULTS } from '../../train/index.ts';
import { datasetInput, defineJobKind } from '../job-kind.ts';

/**
 * The spec of a train-annotators job: the annotator trainer's options without the paths and threads (the fields
 * named here are checked here, the others by the trainer); `dataPath` is the dataset given to the study (`--data`).
 */
const trainAnnotatorsSpec = z.looseObject({
  raters: z.array(z.string()),
  method: z.enum(['annotator-cm', 'mean-labels']).optional(),
  model: z.string().optional(),
  cm: z.enum(['pixel', 'global']).optional(),
  traceWeight: z.number().optional(),
  cmLoss: z.enum(CM_LOSS_NAMES).optional(),
  labelsPerImage: z.union([z.literal('all'), z.literal(1)]).optional(),
  oracle: z.boolean().optional(),
  iterations: z.number().int().positive().optional(),
  seed: z.number().optional(),
  dataPath: z.string().optional(),
});

/** The `train-annotators` job kind (see the file comment): resumable; writes `model/`. */
export const trainAnnotatorsJob = defineJobKind({
  kind: 'train-annotators',
  resumable: true,
  spec: trainAnnotatorsSpec,
  describe: (s) => {
    const what =
      s.method === 'mean-labels'
        ? `${s.model ?? 'unet2d'} on mean of ${s.raters.join(',')}`
        : `annotator-cm${s.oracle ? ' oracle' : ` λ=${s.traceWeight ?? 0.01}`} (${s.cm ?? 'pixel'}${s.cmLoss === 'published' ? ', published loss' : ''})`;
    return `${what}, ${s.labelsPerImage === 1 ? 'one label per image' : 'all labels'}, ${s.iterations ?? TRAIN_DEFAULTS.iterations} it, seed ${s.seed ?? TRAIN_DEFAULTS.seed}`;
  },
  async run(spec, job, context) {
    const { trainAnnotators } = await import('../../annotators/index.ts');
    const { dataPath: _dataPath, ...options } = spec;
    const total = spec.iterations ?? TRAIN_DEFAULTS.iterations;
    const result = await trainAnnotators(
      {
        ...options,
        data: datasetInput(job, context),
        out: join(context.dir, 'model'),
        threads: context.threads,
        resume: true,
      },
      (e) => {
        if (e.type === 'step') context.progress((e.iteration + 1) / total);
      },
    );
    return {
      model: 'model',
      iterations: result.iterations,
      bestIteration: result.best?.iteration ?? null,
      valDice: result.best?.meanDice ?? null,
      cmError: result.best?.cmError ?? null,
      finalTrainLoss: result.finalTrainLoss,
    };
  },
});
