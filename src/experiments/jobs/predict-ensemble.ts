/**
 * `predict-ensemble`: predicts a dataset's cases with the mean probabilities of several trained models
 * (`predict/predict-ensemble.ts`) into the job folder's `pred/`. The models are the needs `model0`, `model1`, …
 * (`spec.models` of them), each a job with a `model` output.
 */
import { join } from 'node:path';
import type { Split } from '../../datasets/index.ts';
import { datasetInput, needPath, type JobKind } from '../job-kind.ts';

/** The need role of the k-th model of a predict-ensemble job. */
export const ensembleModelRole = (k: number): string => `model${k}`;

export const predictEnsembleJob: JobKind = {
  kind: 'predict-ensemble',
  resumable: false,
  describe: (job) => `mean of ${String(job.spec.models)} models, split ${String(job.spec.split ?? 'all')}`,
  async run(job, context) {
    const { predictEnsembleDataset } = await import('../../predict/index.ts');
    const count = job.spec.models as number;
    const written = await predictEnsembleDataset({
      models: Array.from({ length: count }, (_, k) => needPath(job, context, ensembleModelRole(k), 'model')),
      data: datasetInput(job, context),
      split: (job.spec.split ?? undefined) as Split | undefined,
      out: join(context.dir, 'pred'),
      threads: context.threads,
      onCase: (_, done, total) => context.progress(done / total),
    });
    return { pred: 'pred', cases: written.length };
  },
};
