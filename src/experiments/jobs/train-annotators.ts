/**
 * `train-annotators`: trains from several annotators at once (`annotators/annotator-training.ts`) on the needed dataset
 * into the job folder's `model/`: the annotator-CM model (method 'annotator-cm', oracle included) or a plain
 * network on the soft mean of its raters' labels (method 'mean-labels'; with one rater, plain cross-entropy on that
 * rater's labels). It trains with `resume`, so a job killed mid-training continues from its last checkpoint and
 * ends with the weights of an uninterrupted run.
 */
import { join } from 'node:path';
import type { AnnotatorTrainOptions } from '../../annotators/index.ts';
import { datasetInput, type JobKind } from '../job-kind.ts';

/** The spec of a train-annotators job: the annotator trainer's options without the paths and threads. */
export type TrainAnnotatorsJobSpec = Omit<AnnotatorTrainOptions, 'data' | 'out' | 'threads' | 'force' | 'initialParams' | 'resume' | 'stopAfter'>;

export const trainAnnotatorsJob: JobKind = {
  kind: 'train-annotators',
  resumable: true,
  describe: (job) => {
    const s = job.spec as unknown as TrainAnnotatorsJobSpec;
    const what = s.method === 'mean-labels' ? `${s.model ?? 'unet2d'} on mean of ${s.raters.join(',')}` : `annotator-cm${s.oracle ? ' oracle' : ` λ=${s.traceWeight ?? 0.01}`} (${s.cm ?? 'pixel'})`;
    return `${what}, ${s.labelsPerImage === 1 ? 'one label per image' : 'all labels'}, ${s.iterations ?? 600} it, seed ${s.seed ?? 1}`;
  },
  async run(job, context) {
    const { trainAnnotators } = await import('../../annotators/index.ts');
    const spec = job.spec as unknown as TrainAnnotatorsJobSpec;
    const { dataPath: _dataPath, ...options } = spec as TrainAnnotatorsJobSpec & { dataPath?: string };
    const total = spec.iterations ?? 600;
    const result = await trainAnnotators({ ...options, data: datasetInput(job, context), out: join(context.dir, 'model'), threads: context.threads, resume: true }, (e) => {
      if (e.type === 'step') context.progress((e.iteration + 1) / total);
    });
    return {
      model: 'model',
      iterations: result.iterations,
      bestIteration: result.best?.iteration ?? null,
      valDice: result.best?.meanDice ?? null,
      cmError: result.best?.cmError ?? null,
      finalTrainLoss: result.finalTrainLoss,
    };
  },
};

