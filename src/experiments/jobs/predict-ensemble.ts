/**
 * `predict-ensemble`: predicts a dataset's cases with the mean probabilities of several trained models
 * (`predict/predict-ensemble.ts`) into the job folder's `pred/`. The models are the needs `model0`, `model1`, …
 * (`spec.models` of them), each a job with a `model` output.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { datasetInput, defineJobKind, needPath, splitSpec } from '../job-kind.ts';

/** The need role of the k-th model of a predict-ensemble job. */
export const ensembleModelRole = (k: number): string => `model${k}`;

const predictEnsembleSpec = z.looseObject({
  /** How many models: the needs `model0` … `model<models − 1>`. */
  models: z.number().int().positive(),
  split: splitSpec.nullish(),
});

/** The `predict-ensemble` job kind (see the file comment); writes `pred/`, one `<caseId>.nii.gz` per case. */
export const predictEnsembleJob = defineJobKind({
  kind: 'predict-ensemble',
  resumable: false,
  spec: predictEnsembleSpec,
  describe: (spec) => `mean of ${spec.models} models, split ${spec.split ?? 'all'}`,
  async run(spec, job, context) {
    const { predictEnsembleDataset } = await import('../../predict/index.ts');
    const written = await predictEnsembleDataset({
      models: Array.from({ length: spec.models }, (_, k) => needPath(job, context, ensembleModelRole(k), 'model')),
      data: datasetInput(job, context),
      split: spec.split ?? undefined,
      out: join(context.dir, 'pred'),
      threads: context.threads,
      onCase: (_, done, total) => context.progress(done / total),
    });
    return { pred: 'pred', cases: written.length };
  },
});
