/**
 * `fuse`: fuses every case's raters (`fusion/`) into a copy of the dataset with the rater `fused-<method>`, and
 * writes the per-case fusion reports (each rater's estimated confusion matrix where the method has one) to
 * `fusion.json`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, defineJobKind } from '../job-kind.ts';

/** The fuse job's per-case fusion reports in its folder, JSON. */
export const FUSION_FILE = 'fusion.json';

/** The fusion method; the dataset fuser checks it and the other options, which pass on unchanged. */
const fuseSpec = z.looseObject({ method: z.string() });

/** The `fuse` job kind (see the file comment); its result names `dataset` (data/), `fusion` and the fused `rater`. */
export const fuseJob = defineJobKind({
  kind: 'fuse',
  resumable: false,
  spec: fuseSpec,
  describe: (spec) => spec.method,
  async run(spec, job, context) {
    const { fuseDataset } = await import('../../fusion/index.ts');
    const { method, ...options } = spec;
    const report = fuseDataset({
      ...options,
      method,
      data: datasetInput(job, context),
      outDir: join(context.dir, 'data'),
    });
    writeFileAtomic(
      join(context.dir, FUSION_FILE),
      JSON.stringify({ schemaVersion: 1, method: report.method, cases: report.cases }) + '\n',
    );
    return { dataset: 'data', fusion: FUSION_FILE, rater: report.raterId, cases: report.cases.length };
  },
});
