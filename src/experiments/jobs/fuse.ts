/** `fuse`: fuses every case's raters (`fusion/`) into a copy of the dataset with the rater `fused-<method>`. */
import { join } from 'node:path';
import { datasetInput, type JobKind } from '../job-kind.ts';

export const fuseJob: JobKind = {
  kind: 'fuse',
  resumable: false,
  describe: (job) => `${String(job.spec.method)}`,
  async run(job, context) {
    const { fuseDataset } = await import('../../fusion/fuse-dataset.ts');
    const { method, ...options } = job.spec as { method: string; [k: string]: unknown };
    const report = fuseDataset({ ...options, method, data: datasetInput(job, context), outDir: join(context.dir, 'data') });
    return { dataset: 'data', rater: report.raterId, cases: report.cases.length };
  },
};
