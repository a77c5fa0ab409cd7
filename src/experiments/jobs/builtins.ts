/**
 * The job kinds a study plan may use, by name. Studies that need more kinds (finetune, register, propagate) add
 * their runner file in `jobs/` and one line here.
 */
import { MultiraterError } from '../../errors.ts';
import type { Job } from '../job.ts';
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

/** Every built-in job kind by its `kind` name; the kinds `getJobKind` finds without `loadJobKindModules`. */
export const BUILTIN_JOB_KINDS: ReadonlyMap<string, JobKind> = new Map(
  [
    simulateJob,
    fuseJob,
    trainJob,
    predictJob,
    evaluateJob,
    aggregateJob,
    registerJob,
    propagateJob,
    registerPairsJob,
    trainAnnotatorsJob,
    stapleAcrossJob,
    predictEnsembleJob,
    finetuneJob,
  ].map((k) => [k.kind, k]),
);

/** Kinds beyond the builtins, added by `loadJobKindModules` (tests and benchmarks: a synthetic kind). */
const loaded = new Map<string, JobKind>();

/**
 * Registers the kinds a module exports as `jobKinds: JobKind[]`, for this process. The runners take such modules
 * by URL (`kindModules` in their options) and hand them on to every job process, which loads them before its
 * first job; nothing registers itself by being imported. A builtin's name cannot be taken.
 */
export async function loadJobKindModules(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    const { jobKinds } = (await import(url)) as { jobKinds?: readonly JobKind[] };
    if (!Array.isArray(jobKinds)) throw new MultiraterError('invalid_argument', `${url}: exports no jobKinds array`);
    for (const kind of jobKinds) {
      if (BUILTIN_JOB_KINDS.has(kind.kind))
        throw new MultiraterError('invalid_argument', `${url}: job kind "${kind.kind}" is a builtin`);
      loaded.set(kind.kind, kind);
    }
  }
}

/** What is wrong with `spec` for the kind `kind` (`spec.iterations: …`), or null (also for a kind not known here). */
export function jobSpecProblem(kind: string, spec: Job['spec']): string | null {
  return (BUILTIN_JOB_KINDS.get(kind) ?? loaded.get(kind))?.specProblem?.(spec) ?? null;
}

/** The job kind `kind`; unknown kinds are an error naming the known ones. */
export function getJobKind(kind: string): JobKind {
  const found = BUILTIN_JOB_KINDS.get(kind) ?? loaded.get(kind);
  if (found === undefined)
    throw new MultiraterError(
      'invalid_argument',
      `unknown job kind "${kind}" (known: ${[...BUILTIN_JOB_KINDS.keys(), ...loaded.keys()].join(', ')})`,
    );
  return found;
}
