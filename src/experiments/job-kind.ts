/**
 * What a job kind provides to the runners (`jobs/<kind>.ts`, registered in `jobs/builtins.ts`), and the context a
 * running job gets: its folder, its needs' folders and results, the threads it may use and a progress callback.
 * A kind made with `defineJobKind` parses `job.spec` with its zod schema once, so its describer and runner get a
 * typed spec, and a spec of the wrong shape (from Redis, or a hand-edited study.json) is a one-line error naming
 * the job and the field. The parsed spec is only read: ids hash `job.spec` as planned (`job.ts`).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { formatSchemaIssue, type Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { jobDir, readJobRecords, type Job, type JobDone } from './job.ts';

/** What a running job can ask of the runner. */
export interface JobContext {
  /** The study's output folder (OUT). */
  out: string;
  /** This job's folder, OUT/jobs/<key> (exists). */
  dir: string;
  /** ONNX Runtime intra-op threads for this job; undefined = the physical cores. */
  threads?: number;
  /** Reports progress within the job, 0…1. */
  progress(fraction: number): void;
  /** A line for the job's log (OUT/jobs/<key>/log.txt). */
  log(line: string): void;
}

/** A kind of job: a thin call into the library. */
export interface JobKind {
  /** The name jobs give as `Job.kind` ('simulate', 'train', …), the key of the registry. */
  kind: string;
  /**
   * True when an interrupted run leaves state the next run continues from (a training checkpoint): the folder
   * is kept. Otherwise the runner empties the folder before each run, so a run never sees a predecessor's scraps.
   */
  resumable: boolean;
  /** Runs the job; returns what `done.json` records as its result (paths relative to the job folder). */
  run(job: Job, context: JobContext): Promise<JobDone['result']>;
  /** The spec's main settings in a few words, for `study plan` (never throws: a bad spec is described as such). */
  describe(job: Job): string;
  /** What is wrong with `spec` for this kind (`spec.iterations: …`), or null; a kind without this accepts any spec. */
  specProblem?(spec: Job['spec']): string | null;
}

/** A dataset split as a spec names it. */
export const splitSpec: z.ZodType<Split> = z.enum(['train', 'val', 'test']);

/** A job kind with a typed spec (`defineJobKind`). */
export interface JobKindDefinition<S> {
  /** See `JobKind.kind`. */
  kind: string;
  /** See `JobKind.resumable`. */
  resumable: boolean;
  /** The spec's schema; a loose object passes the fields it does not name on to the library unchanged. */
  spec: z.ZodType<S>;
  /** The spec's main settings in a few words, for `study plan`. */
  describe(spec: S, job: Job): string;
  /** Runs the job; returns what `done.json` records as its result (paths relative to the job folder). */
  run(spec: S, job: Job, context: JobContext): Promise<JobDone['result']>;
}

/** The first problem of `spec` against `schema`, `spec.<field>: message`, or null. */
function schemaProblem(schema: z.ZodType, spec: unknown): string | null {
  const parsed = schema.safeParse(spec);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return formatSchemaIssue({ path: ['spec', ...issue.path], message: issue.message });
}

/** A job kind whose describer and runner get `job.spec` parsed by `definition.spec` (see the file comment). */
export function defineJobKind<S>(definition: JobKindDefinition<S>): JobKind {
  const parsed = new WeakMap<Job, S>();
  const specOf = (job: Job): S => {
    const known = parsed.get(job);
    if (known !== undefined) return known;
    const result = definition.spec.safeParse(job.spec);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new MultiraterError(
        'invalid_record',
        `job ${job.key}: ${formatSchemaIssue({ path: ['spec', ...issue.path], message: issue.message })}`,
      );
    }
    parsed.set(job, result.data);
    return result.data;
  };
  return {
    kind: definition.kind,
    resumable: definition.resumable,
    // The runners describe a job before they run it; a bad spec fails the run (recorded in failed.json), not them.
    describe: (job) => {
      const problem = parsed.has(job) ? null : schemaProblem(definition.spec, job.spec);
      return problem === null ? definition.describe(specOf(job), job) : `invalid spec (${problem})`;
    },
    run: async (job, context) => definition.run(specOf(job), job, context),
    specProblem: (spec) => schemaProblem(definition.spec, spec),
  };
}

/** The folder of the job that `job` needs in `role`. */
export function needDir(job: Job, context: JobContext, role: string): string {
  const key = job.needs[role];
  if (key === undefined) throw new MultiraterError('invalid_argument', `job ${job.key}: needs no "${role}" job`);
  return jobDir(context.out, key);
}

/** The finished result of the job `job` needs in `role`. */
export function needResult(job: Job, context: JobContext, role: string): JobDone['result'] {
  const key = job.needs[role];
  const records = key === undefined ? null : readJobRecords(context.out, key);
  if (records?.state === 'done') return records.done.result;
  const why = records?.state === 'unreadable' ? ` (${records.problem})` : '';
  throw new MultiraterError('invalid_argument', `job ${job.key}: needed job ${key ?? role} has not finished${why}`);
}

/** A path a needed job's result names (relative to that job's folder), resolved. */
export function needPath(job: Job, context: JobContext, role: string, field: string): string {
  const value = needResult(job, context, role)[field];
  if (typeof value !== 'string')
    throw new MultiraterError(
      'invalid_argument',
      `job ${job.key}: needed job ${job.needs[role]} has no "${field}" output`,
    );
  return join(needDir(job, context, role), value);
}

/**
 * The dataset folder a job reads in `role`: the spec's `<role>Path` when the study points at existing data
 * (`--data`), else the `dataset` output of the job it needs in `role`.
 */
export function datasetInput(job: Job, context: JobContext, role = 'data'): string {
  const given = job.spec[`${role}Path`];
  if (typeof given === 'string') return given;
  return needPath(job, context, role, 'dataset');
}
