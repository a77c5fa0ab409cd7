/** `evaluate`: evaluates the needed predictions (`metrics/evaluateDataset`) into the job folder's `evaluation.json`. */
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, needPath, type JobKind } from '../job-kind.ts';

export const EVALUATION_FILE = 'evaluation.json';

export const evaluateJob: JobKind = {
  kind: 'evaluate',
  resumable: false,
  describe: (job) => `split ${String(job.spec.split ?? 'all')} against ${String(job.spec.against ?? 'truth')}`,
  async run(job, context) {
    const { evaluateDataset } = await import('../../metrics/index.ts');
    const evaluation = evaluateDataset({
      predDir: needPath(job, context, 'pred', 'pred'),
      data: datasetInput(job, context),
      split: (job.spec.split ?? undefined) as 'train' | 'val' | 'test' | undefined,
      against: (job.spec.against ?? undefined) as string | undefined,
      tolerance: (job.spec.tolerance ?? undefined) as number | undefined,
    });
    writeFileAtomic(join(context.dir, EVALUATION_FILE), JSON.stringify(evaluation) + '\n');
    return { evaluation: EVALUATION_FILE, cases: evaluation.cases.length };
  },
};
