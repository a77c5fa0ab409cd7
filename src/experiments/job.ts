/**
 * A study is a graph of jobs. A job is one step (simulate, train, predict, evaluate, …) described by a JSON spec;
 * its id is the first 12 hex digits of the SHA-256 of the canonical JSON (keys sorted, no spaces) of
 * `{ kind, spec, needs }`, where `needs` maps a role (`data`, `model`, …) to the key of the job it reads. So an id
 * changes exactly when the job's own settings or anything upstream changes. The folder contract:
 * `OUT/jobs/<kind>-<id>/` holds `spec.json` (written when the job starts), the job's outputs, and `done.json`,
 * written last and atomically; a job is finished exactly when its `done.json` and `spec.json` are readable, of
 * their schemas, and name the folder's job — `spec.json`'s content hashing to the folder's id. Every reader (the
 * local runner, the queue's runner and workers, `study status` and `study report`) asks `readJobRecords`; a job
 * whose records are unreadable is not finished, and `problem` says in one line which file is wrong and how.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';

/** A JSON value as a spec may hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One step of a study. */
export interface Job {
  /** Job kind, registered in `jobs/builtins.ts`: 'simulate', 'train', … */
  kind: string;
  /** Short hash of kind, spec and needs (see the file comment). */
  id: string;
  /** `<kind>-<id>`: the folder name under OUT/jobs and the job's name in the queue. */
  key: string;
  /** The job's settings; the job's outputs are a pure function of it and of its needs' outputs. */
  spec: { [key: string]: JsonValue };
  /** Role → key of a job whose outputs this one reads. */
  needs: Record<string, string>;
  /** Study-level labels for tables (model, rater, repeat, …): not hashed, derived from the spec by the planner. */
  tags: Record<string, string | number>;
}

/** What `done.json` records. */
export interface JobDone {
  /** Version of done.json's shape; 1. */
  schemaVersion: 1;
  /** The job's key, `<kind>-<id>`: must name the folder it lies in. */
  key: string;
  /** The job's kind, as in `Job.kind`. */
  kind: string;
  /** What the job's runner returned (paths relative to the job folder, counts, headline numbers). */
  result: { [key: string]: JsonValue };
  /** Wall time of the invocation that finished the job, seconds (a resumed job counts only its last part). */
  seconds: number;
  /** When the job finished, ISO 8601 in UTC (`Date.toISOString`). */
  finishedAt: string;
}

/** JSON with object keys sorted at every level and no whitespace: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`canonicalJson: ${value} is not JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hex digits of the id. */
export const JOB_ID_LENGTH = 12;

/** The id of a job with this kind, spec and needs. */
export function jobId(kind: string, spec: Job['spec'], needs: Record<string, string>): string {
  return createHash('sha256').update(canonicalJson({ kind, spec, needs })).digest('hex').slice(0, JOB_ID_LENGTH);
}

/** Makes a job; `needs` maps roles to the jobs (or their keys) it reads. */
export function makeJob(
  kind: string,
  spec: Job['spec'],
  needs: Record<string, Job | string> = {},
  tags: Job['tags'] = {},
): Job {
  const needKeys = Object.fromEntries(
    Object.entries(needs).map(([role, j]) => [role, typeof j === 'string' ? j : j.key]),
  );
  const id = jobId(kind, spec, needKeys);
  return { kind, id, key: `${kind}-${id}`, spec, needs: needKeys, tags };
}

/** `OUT/jobs`. */
export function jobsDir(out: string): string {
  return join(out, 'jobs');
}

/** `OUT/jobs/<key>`. */
export function jobDir(out: string, key: string): string {
  return join(out, 'jobs', key);
}

/** The job as planned (`Job`), written in its folder when it starts. */
export const SPEC_FILE = 'spec.json';
/** `JobDone`, written in the job's folder last and atomically; with a matching spec.json it marks the job finished. */
export const DONE_FILE = 'done.json';

const jsonObject = z.record(z.string(), z.json());

/** A job as `spec.json` and `study.json` hold it (`Job`). */
const jobSchema = z.object({
  kind: z.string().min(1),
  id: z.string().regex(new RegExp(`^[0-9a-f]{${JOB_ID_LENGTH}}$`), `expected ${JOB_ID_LENGTH} hex digits`),
  key: z.string(),
  spec: jsonObject,
  needs: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.union([z.string(), z.number()])),
});

/** `done.json` (`JobDone`). */
const doneSchema = z.object({
  schemaVersion: z.literal(1),
  key: z.string(),
  kind: z.string(),
  result: jsonObject,
  seconds: z.number().nonnegative(),
  finishedAt: z.iso.datetime(),
});

/** The first schema issue, `path: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`;
}

/**
 * `value` as a job, or what is wrong with it: its shape, its spec by `checkSpec` (the kind's schema, before the hash,
 * so a hand-edited field is named), or a key and id its kind, spec and needs do not hash to.
 */
export function parseJob(
  value: unknown,
  checkSpec?: SpecCheck,
):
  | {
      /** The job, its key and id checked against its kind, spec and needs. */
      job: Job;
      /** Always null: nothing is wrong. */
      problem: null;
    }
  | {
      /** Always null: no job could be trusted. */
      job: null;
      /** One line: the first schema issue (`path: message`), the spec's problem, or the hash mismatch. */
      problem: string;
    } {
  const parsed = jobSchema.safeParse(value);
  if (!parsed.success) return { job: null, problem: `not a job (${firstIssue(parsed.error)})` };
  const { kind, id, key, spec, needs, tags } = parsed.data;
  const specProblem = checkSpec?.(kind, spec as Job['spec']) ?? null;
  if (specProblem !== null) return { job: null, problem: `${specProblem} (a ${kind} job)` };
  const hashed = `${kind}-${jobId(kind, spec as Job['spec'], needs)}`;
  if (key !== `${kind}-${id}` || key !== hashed)
    return {
      job: null,
      problem: `its kind, spec and needs hash to ${hashed}, not to its key ${key} (edited, or copied from another job)`,
    };
  return { job: { kind, id, key, spec: spec as Job['spec'], needs, tags }, problem: null };
}

/** What a job's folder says about it (see the file comment). */
export type JobRecords =
  | {
      /** Finished: spec.json and done.json readable and naming this job. */
      state: 'done';
      /** The parsed done.json. */
      done: JobDone;
    }
  /** A record that cannot be trusted: `problem` is one line naming the file and what is wrong with it. */
  | {
      /** spec.json missing beside done.json, or either file unreadable, of another shape or of another job. */
      state: 'unreadable';
      /** One line naming the file and what is wrong with it. */
      problem: string;
    }
  /** `spec.json` written and readable, no `done.json`: running, interrupted or failed. */
  | {
      /** spec.json readable, no done.json. */
      state: 'started';
    }
  /** Neither record; `folder` says whether the job's folder exists. */
  | {
      /** Neither spec.json nor done.json. */
      state: 'absent';
      /** Whether the job's folder, `OUT/jobs/<key>/`, exists. */
      folder: boolean;
    };

/** The parsed JSON of a record file `path`, or the one-line problem with it (unreadable, truncated, not JSON). */
export function readRecordJson(path: string): { value: unknown; problem: null } | { value: null; problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      value: null,
      problem: `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    };
  }
  try {
    return { value: JSON.parse(text) as unknown, problem: null };
  } catch {
    return { value: null, problem: `${path}: not JSON (truncated or corrupted)` };
  }
}

/** Checks a spec by its kind's schema (`jobs/builtins.ts`: `jobSpecProblem`). */
export type SpecCheck = (kind: string, spec: Job['spec']) => string | null;

/** The problem with `spec.json` of the job `key`, or null when it holds that job. */
function specProblem(path: string, key: string, checkSpec?: SpecCheck): string | null {
  const read = readRecordJson(path);
  if (read.problem !== null) return read.problem;
  const { job, problem } = parseJob(read.value, checkSpec);
  if (problem !== null) return `${path}: ${problem}`;
  return job.key === key ? null : `${path}: the spec of ${job.key}, not of its folder's job ${key}`;
}

/** The state of job `key` in `out` from its records (see the file comment); `checkSpec` also checks spec.json's spec. */
export function readJobRecords(out: string, key: string, checkSpec?: SpecCheck): JobRecords {
  const dir = jobDir(out, key);
  const specFile = join(dir, SPEC_FILE);
  const doneFile = join(dir, DONE_FILE);
  const hasDone = existsSync(doneFile);
  if (!existsSync(specFile)) {
    if (hasDone) return { state: 'unreadable', problem: `${specFile}: missing beside done.json` };
    return { state: 'absent', folder: existsSync(dir) };
  }
  const spec = specProblem(specFile, key, checkSpec);
  if (spec !== null) return { state: 'unreadable', problem: spec };
  if (!hasDone) return { state: 'started' };
  const read = readRecordJson(doneFile);
  if (read.problem !== null) return { state: 'unreadable', problem: read.problem };
  const parsed = doneSchema.safeParse(read.value);
  if (!parsed.success)
    return { state: 'unreadable', problem: `${doneFile}: not a done record (${firstIssue(parsed.error)})` };
  const done = parsed.data as JobDone;
  if (done.key !== key || done.kind !== key.slice(0, key.length - JOB_ID_LENGTH - 1)) {
    return {
      state: 'unreadable',
      problem: `${doneFile}: records ${done.kind} job ${done.key}, not its folder's job ${key}`,
    };
  }
  return { state: 'done', done };
}

/** The job's `done.json`, or null when it has not finished (no records, or unreadable ones: `readJobRecords`). */
export function readDone(out: string, key: string): JobDone | null {
  if (!existsSync(join(jobDir(out, key), DONE_FILE))) return null;
  const records = readJobRecords(out, key);
  return records.state === 'done' ? records.done : null;
}

/** True when the job has finished (`readDone`). */
export function isDone(out: string, key: string): boolean {
  return readDone(out, key) !== null;
}

/** The jobs in an order where every job comes after the jobs it needs (stable: plan order otherwise). */
export function topologicalOrder(jobs: readonly Job[]): Job[] {
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const placed = new Set<string>();
  const order: Job[] = [];
  const visit = (job: Job, path: string[]): void => {
    if (placed.has(job.key)) return;
    if (path.includes(job.key))
      throw new MultiraterError('invalid_argument', `job graph has a cycle: ${[...path, job.key].join(' → ')}`);
    for (const need of Object.values(job.needs)) {
      const dep = byKey.get(need);
      if (dep === undefined)
        throw new MultiraterError('invalid_argument', `job ${job.key} needs ${need}, which is not in the plan`);
      visit(dep, [...path, job.key]);
    }
    placed.add(job.key);
    order.push(job);
  };
  for (const job of jobs) visit(job, []);
  return order;
}
