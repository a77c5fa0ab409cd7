/**
 * `fuse`: fuses every case's raters (`fusion/`) into a copy of the dataset with the rater `fused-<method>`, and
 * writes the per-case fusion reports (each rater's estimated confusion matrix where the method has one) to
 * `fusion.json`.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, type JobKind } from '../job-kind.ts';

export const FUSION_FILE = 'fusion.json';

export const fuseJob: JobKind = {
  kind: 'fuse',
  resumable: false,
  describe: (job) => `${String(job.spec.method)}`,
  async run(job, context) {
    const { fuseDataset } = await import('../../fusion/index.ts');
    const { method, ...options } = job.spec as { method: string; [k: string]: unknown };
    const report = fuseDataset({ ...options, method, data: datasetInput(job, context), outDir: join(context.dir, 'data') });
    writeFileAtomic(join(context.dir, FUSION_FILE), JSON.stringify({ schemaVersion: 1, method: report.method, cases: report.cases }) + '\n');
    return { dataset: 'data', fusion: FUSION_FILE, rater: report.raterId, cases: report.cases.length };
  },
};
