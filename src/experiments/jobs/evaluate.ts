/** `evaluate`: evaluates the needed predictions (`metrics/evaluateDataset`) into the job folder's `evaluation.json`. */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/index.ts';
import { datasetInput, defineJobKind, needPath, splitSpec } from '../job-kind.ts';

/** The evaluate job's output in its folder: the `DatasetEvaluation` as JSON. */
export const EVALUATION_FILE = 'evaluation.json';

const evaluateSpec = z.looseObject({
  split: splitSpec.nullish(),
  /** `truth` or a rater id; default truth. */
  against: z.string().nullish(),
  /** mm; default the evaluator's. */
  tolerance: z.number().nullish(),
});

/** The `evaluate` job kind (see the file comment); its result names `evaluation` and counts `cases`. */
export const evaluateJob = defineJobKind({
  kind: 'evaluate',
  resumable: false,
  spec: evaluateSpec,
  describe: (spec) => `split ${spec.split ?? 'all'} against ${spec.against ?? 'truth'}`,
  async run(spec, job, context) {
    const { evaluateDataset } = await import('../../evaluation/index.ts');
    const evaluation = evaluateDataset({
      predDir: needPath(job, context, 'pred', 'pred'),
      data: datasetInput(job, context),
      split: spec.split ?? undefined,
      against: spec.against ?? undefined,
      tolerance: spec.tolerance ?? undefined,
    });
    writeFileAtomic(join(context.dir, EVALUATION_FILE), JSON.stringify(evaluation) + '\n');
    return { evaluation: EVALUATION_FILE, cases: evaluation.cases.length };
  },
});
