/**
 * `staple-across`: STAPLE across the needed dataset's training set with each annotator's matrix shared over the
 * images it labelled (`annotators/staple-across-dataset.ts`), in the dense or the one-label-per-image regime (the same
 * draw as a `train-annotators` job with the same seed); writes the dataset copy with the rater
 * `fused-staple-across` into `data/` and the training set's matrices and CM error into `staple.json`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, defineJobKind } from '../job-kind.ts';

/** The staple-across job's output in its folder: the training set's estimated matrices and their CM error, JSON. */
export const STAPLE_FILE = 'staple.json';

const stapleAcrossSpec = z.looseObject({
  raters: z.array(z.string()),
  /** 1: one label per image (the regime's draw); anything else: all labels. */
  labelsPerImage: z.union([z.literal(1), z.literal('all')]).optional(),
  seed: z.number().optional(),
});

/** The `staple-across` job kind (see the file comment); its result names `dataset` (data/) and `staple`. */
export const stapleAcrossJob = defineJobKind({
  kind: 'staple-across',
  resumable: false,
  spec: stapleAcrossSpec,
  describe: (spec) =>
    `${spec.raters.length} raters, ${spec.labelsPerImage === 1 ? 'one label per image' : 'all labels'}, seed ${spec.seed ?? 1}`,
  async run(spec, job, context) {
    const { stapleAcrossDataset } = await import('../../annotators/index.ts');
    const result = stapleAcrossDataset({
      data: datasetInput(job, context),
      outDir: join(context.dir, 'data'),
      raters: spec.raters,
      labelsPerImage: spec.labelsPerImage === 1 ? 1 : 'all',
      seed: spec.seed ?? 1,
    });
    const { dataset: _dataset, ...record } = result;
    writeFileAtomic(
      join(context.dir, STAPLE_FILE),
      JSON.stringify({ schemaVersion: 1, raters: spec.raters, ...record }, null, 2) + '\n',
    );
    return {
      dataset: 'data',
      staple: STAPLE_FILE,
      rater: result.raterId,
      cmError: result.cmError,
      iterations: result.iterations,
    };
  },
});
