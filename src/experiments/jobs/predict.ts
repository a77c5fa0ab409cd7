/**
 * `predict`: runs the needed model (`train/predict`) on a dataset's cases into the job folder's `pred/`; `rater`
 * picks a multi-expert model's branch.
 */
import { join } from 'node:path';
import type { Split } from '../../datasets/index.ts';
import { datasetInput, needPath, type JobKind } from '../job-kind.ts';

export const predictJob: JobKind = {
  kind: 'predict',
  resumable: false,
  describe: (job) => `split ${String(job.spec.split ?? 'all')}${job.spec.rater ? `, branch ${String(job.spec.rater)}` : ''}${job.spec.tta ? ', TTA' : ''}${job.spec.largestComponent ? ', largest component' : ''}`,
  async run(job, context) {
    const { predictDataset } = await import('../../predict/index.ts');
    const written = await predictDataset({
      model: needPath(job, context, 'model', 'model'),
      data: datasetInput(job, context),
      split: (job.spec.split ?? undefined) as Split | undefined,
      tta: job.spec.tta === true,
      largestComponent: job.spec.largestComponent === true,
      rater: (job.spec.rater ?? undefined) as string | undefined,
      out: join(context.dir, 'pred'),
      threads: context.threads,
      onCase: (_, done, total) => context.progress(done / total),
    });
    return { pred: 'pred', cases: written.length };
  },
};
