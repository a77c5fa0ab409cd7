/**
 * `predict`: runs the needed model (`train/predict`) on a dataset's cases into the job folder's `pred/`; `rater`
 * picks a multi-expert model's branch.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { datasetInput, defineJobKind, needPath, splitSpec } from '../job-kind.ts';

const predictSpec = z.looseObject({
  split: splitSpec.nullish(),
  /** A multi-expert model's branch. */
  rater: z.string().nullish(),
  tta: z.boolean().nullish(),
  largestComponent: z.boolean().nullish(),
});

/** The `predict` job kind (see the file comment); writes `pred/`, one `<caseId>.nii.gz` per case. */
export const predictJob = defineJobKind({
  kind: 'predict',
  resumable: false,
  spec: predictSpec,
  describe: (spec) =>
    `split ${spec.split ?? 'all'}${spec.rater ? `, branch ${spec.rater}` : ''}${spec.tta ? ', TTA' : ''}${spec.largestComponent ? ', largest component' : ''}`,
  async run(spec, job, context) {
    const { predictDataset } = await import('../../predict/index.ts');
    const written = await predictDataset({
      model: needPath(job, context, 'model', 'model'),
      data: datasetInput(job, context),
      split: spec.split ?? undefined,
      tta: spec.tta === true,
      largestComponent: spec.largestComponent === true,
      rater: spec.rater ?? undefined,
      out: join(context.dir, 'pred'),
      threads: context.threads,
      onCase: (_, done, total) => context.progress(done / total),
    });
    return { pred: 'pred', cases: written.length };
  },
});
