/**
 * `staple-across`: STAPLE across the needed dataset's training set with each annotator's matrix shared over the
 * images it labelled (`annotators/staple-across-dataset.ts`), in the dense or the one-label-per-image regime (the same
 * draw as a `train-annotators` job with the same seed); writes the dataset copy with the rater
 * `fused-staple-across` into `data/` and the training set's matrices and CM error into `staple.json`.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, type JobKind } from '../job-kind.ts';

export const STAPLE_FILE = 'staple.json';

export const stapleAcrossJob: JobKind = {
  kind: 'staple-across',
  resumable: false,
  describe: (job) => `${(job.spec.raters as string[]).length} raters, ${job.spec.labelsPerImage === 1 ? 'one label per image' : 'all labels'}, seed ${String(job.spec.seed ?? 1)}`,
  async run(job, context) {
    const { stapleAcrossDataset } = await import('../../annotators/index.ts');
    const result = stapleAcrossDataset({
      data: datasetInput(job, context),
      outDir: join(context.dir, 'data'),
      raters: job.spec.raters as string[],
      labelsPerImage: job.spec.labelsPerImage === 1 ? 1 : 'all',
      seed: (job.spec.seed ?? 1) as number,
    });
    const { dataset: _dataset, ...record } = result;
    writeFileAtomic(join(context.dir, STAPLE_FILE), JSON.stringify({ schemaVersion: 1, raters: job.spec.raters, ...record }, null, 2) + '\n');
    return { dataset: 'data', staple: STAPLE_FILE, rater: result.raterId, cmError: result.cmError, iterations: result.iterations };
  },
};
