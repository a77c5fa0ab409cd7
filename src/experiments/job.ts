/**
 * A study is a graph of jobs. A job is one step (simulate, train, predict, evaluate, …) described by a JSON spec;
 * its id is the first 12 hex digits of the SHA-256 of the canonical JSON (keys sorted, no spaces) of
 * `{ kind, spec, needs }`, where `needs` maps a role (`data`, `model`, …) to the key of the job it reads. So an id
 * changes exactly when the job's own settings or anything upstream changes. The folder contract:
 * `OUT/jobs/<kind>-<id>/` holds `spec.json` (written when the job starts), the job's outputs, and `done.json`,
 * written last and atomically; a job is finished exactly when its `done.json` exists.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  schemaVersion: 1;
  key: string;
  kind: string;
  /** What the job's runner returned (paths relative to the job folder, counts, headline numbers). */
  result: { [key: string]: JsonValue };
  /** Wall time of the invocation that finished the job, seconds (a resumed job counts only its last part). */
  seconds: number;
  finishedAt: string;
}

/** JSON with object keys sorted at every level and no whitespace: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
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
export function makeJob(kind: string, spec: Job['spec'], needs: Record<string, Job | string> = {}, tags: Job['tags'] = {}): Job {
  const needKeys = Object.fromEntries(Object.entries(needs).map(([role, j]) => [role, typeof j === 'string' ? j : j.key]));
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

export const SPEC_FILE = 'spec.json';
export const DONE_FILE = 'done.json';

/** The job's `done.json`, or null when it has not finished. */
export function readDone(out: string, key: string): JobDone | null {
  const path = join(jobDir(out, key), DONE_FILE);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as JobDone;
}

/** True when the job has finished. */
export function isDone(out: string, key: string): boolean {
  return existsSync(join(jobDir(out, key), DONE_FILE));
}

/** The jobs in an order where every job comes after the jobs it needs (stable: plan order otherwise). */
export function topologicalOrder(jobs: readonly Job[]): Job[] {
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const placed = new Set<string>();
  const order: Job[] = [];
  const visit = (job: Job, path: string[]): void => {
    if (placed.has(job.key)) return;
    if (path.includes(job.key)) throw new MultiraterError('invalid_argument', `job graph has a cycle: ${[...path, job.key].join(' → ')}`);
    for (const need of Object.values(job.needs)) {
      const dep = byKey.get(need);
      if (dep === undefined) throw new MultiraterError('invalid_argument', `job ${job.key} needs ${need}, which is not in the plan`);
      visit(dep, [...path, job.key]);
    }
    placed.add(job.key);
    order.push(job);
  };
  for (const job of jobs) visit(job, []);
  return order;
}
