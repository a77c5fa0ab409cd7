/**
 * The job kinds a study plan may use, by name. Studies that need more kinds (finetune, register, propagate) add
 * their runner file in `jobs/` and one line here.
 */
import { MultiraterError } from '../../errors.ts';
import type { JobKind } from '../job-kind.ts';
import { aggregateJob } from './aggregate.ts';
import { evaluateJob } from './evaluate.ts';
import { finetuneJob } from './finetune.ts';
import { fuseJob } from './fuse.ts';
import { predictJob } from './predict.ts';
import { predictEnsembleJob } from './predict-ensemble.ts';
import { propagateJob } from './propagate.ts';
import { registerJob } from './register.ts';
import { registerPairsJob } from './register-pairs.ts';
import { stapleAcrossJob } from './staple-across.ts';
import { trainAnnotatorsJob } from './train-annotators.ts';
import { simulateJob } from './simulate.ts';
import { trainJob } from './train.ts';

export const BUILTIN_JOB_KINDS: ReadonlyMap<string, JobKind> = new Map(
  [simulateJob, fuseJob, trainJob, predictJob, evaluateJob, aggregateJob, registerJob, propagateJob, registerPairsJob, trainAnnotatorsJob, stapleAcrossJob, predictEnsembleJob, finetuneJob].map((k) => [
    k.kind,
    k,
  ]),
);

/** The job kind `kind`; unknown kinds are an error naming the known ones. */
export function getJobKind(kind: string): JobKind {
  const found = BUILTIN_JOB_KINDS.get(kind);
  if (found === undefined) throw new MultiraterError('invalid_argument', `unknown job kind "${kind}" (known: ${[...BUILTIN_JOB_KINDS.keys()].join(', ')})`);
  return found;
}
