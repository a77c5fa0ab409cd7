/**
 * A study end to end: plan it, record the plan in `OUT/study.json`, run its jobs (locally, or on a BullMQ queue
 * when a Redis URL is given), and write the report from the finished jobs into `OUT/report/` (`report.json`,
 * `report.md`, `report.html`, tables and figures). `studyStatus` and `writeStudyReport` work from `OUT/study.json` alone.
 * `runStudy` checks its inputs (data folders, the queue's URL and that Redis answers) before it writes anything,
 * then holds the OUT lock (`study-lock.ts`) from before `study.json` is written until the report is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../datasets/dataset.ts';
import { MultiraterError } from '../errors.ts';
import type { StudyReport } from '../report/report-types.ts';
import type { ProgressStream } from '../train/progress.ts';
import { FAILED_FILE, specPath } from './execute-job.ts';
import { jobDir, readDone, SPEC_FILE, type JobDone } from './job.ts';
import { renderStudyReport } from '../report/render-study-report.ts';
import { runJobs, type RunJobsResult } from './runner.ts';
import { getStudy } from './studies/builtins.ts';
import type { PresetName, StudyPlan, StudyPlanOptions } from './study.ts';
import { readStudyFile, STUDY_FILE, writeStudyFile } from './study-file.ts';
import { acquireStudyLock } from './study-lock.ts';

export { STUDY_FILE } from './study-file.ts';
export const REPORT_DIR = 'report';

export interface RunStudyOptions extends StudyPlanOptions {
  /** Registered study name (`nonexpert`). */
  study: string;
  preset: PresetName;
  /** Output folder (OUT): jobs/, study.json, report/. */
  out: string;
  /** Local worker processes; default 1 (on a queue: ignored, start `multirater worker`s). */
  workers?: number;
  /** ONNX Runtime threads per job; default all cores with one worker, ⌊cores / workers⌋ with more. */
  threads?: number;
  /** A Redis URL (`redis://HOST:PORT`): enqueue the jobs on BullMQ and wait for workers to run them. */
  queue?: string;
  /** BullMQ queue name; default 'multirater'. */
  queueName?: string;
  /** On a queue: give up when Redis stays unreachable this long, ms; default 30000. */
  redisTimeoutMs?: number;
  signal?: AbortSignal;
  stream?: ProgressStream;
  bar?: boolean;
}

export interface RunStudyResult {
  plan: StudyPlan;
  run: RunJobsResult;
  /** The report files written (none when the run was interrupted). */
  reportFiles: string[];
}

/** The package's version, for reports. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Plans a study with its data paths made absolute (so job specs name the same folders from any directory). */
export function planStudy(name: string, preset: PresetName, options: StudyPlanOptions = {}): StudyPlan {
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(p));
  return getStudy(name).plan(preset, { ...options, data: abs(options.data), shiftedData: abs(options.shiftedData) });
}

/** Refuses, in one line, data folders that hold no readable dataset (before anything is written). */
function checkDataFolders(options: StudyPlanOptions): void {
  for (const [flag, dir] of [['--data', options.data], ['--shifted-data', options.shiftedData]] as const) {
    if (dir === undefined) continue;
    try {
      loadDataset(dir);
    } catch (e) {
      throw new MultiraterError('invalid_dataset', `${flag} ${dir}: ${(e as Error).message}`);
    }
  }
}

/** Refuses a queue URL that is not redis:// or whose Redis does not answer (bullmq is loaded only on this path). */
async function checkQueue(url: string): Promise<void> {
  (await import('./queue.ts')).redisConnection(url);
  await (await import('./watch-redis.ts')).pingRedis(url);
}

/** Plans, runs and reports a study; see the file comment. */
export async function runStudy(options: RunStudyOptions): Promise<RunStudyResult> {
  const plan = planStudy(options.study, options.preset, { data: options.data, shiftedData: options.shiftedData, seed: options.seed });
  checkDataFolders(options);
  if (options.queue !== undefined) await checkQueue(options.queue);
  const held = acquireStudyLock(options.out);
  try {
    writeStudyFile(options.out, plan);
    const common = { out: options.out, lock: held.lock, signal: options.signal, stream: options.stream, bar: options.bar };
    const run =
      options.queue !== undefined
        ? await (await import('./queue.ts')).runJobsOnQueue(plan.jobs, { ...common, url: options.queue, queueName: options.queueName, redisTimeoutMs: options.redisTimeoutMs })
        : await runJobs(plan.jobs, { ...common, workers: options.workers, threads: options.threads });
    const reportFiles = run.interrupted ? [] : (await writeStudyReport(options.out)).files;
    return { plan, run, reportFiles };
  } finally {
    held.release();
  }
}

/** The plan recorded in `OUT/study.json`. */
export function loadStudyPlan(out: string): StudyPlan {
  const file = readStudyFile(out);
  if (file === null) throw new MultiraterError('file_not_found', `${join(out, STUDY_FILE)}: no study here (run \`multirater study run NAME --out ${out}\` first)`);
  return file.plan;
}

function finishedJobs(out: string, plan: StudyPlan): Map<string, JobDone> {
  const done = new Map<string, JobDone>();
  for (const job of plan.jobs) {
    const d = readDone(out, job.key);
    if (d !== null) done.set(job.key, d);
  }
  return done;
}

/**
 * Builds the report from the finished jobs and renders it into `OUT/report/` (report/'s `renderStudyReport`:
 * tables as Markdown, CSV and JSON, figures as SVG, `report.md`, `report.json`, `report.html`).
 */
export async function writeStudyReport(out: string, options: { html?: string } = {}): Promise<{ report: StudyReport; files: string[] }> {
  const plan = loadStudyPlan(out);
  const report = getStudy(plan.study).report({ out, plan, done: finishedJobs(out, plan), packageVersion: packageVersion() });
  const { files } = await renderStudyReport(report, join(out, REPORT_DIR), { html: options.html });
  return { report, files };
}

/** Where a study stands. */
export interface StudyStatus {
  study: string;
  preset: string;
  total: number;
  done: number;
  /** Started (spec.json written) but neither finished nor failed: running, or interrupted. */
  started: number;
  failed: { key: string; specPath: string; message: string }[];
  /** Per job kind: total and done. */
  byKind: Record<string, { total: number; done: number }>;
  /** Sum of the finished jobs' wall times, seconds. */
  wallSeconds: number;
}

/** The status of the study in `out`, from its files. */
export function studyStatus(out: string): StudyStatus {
  const plan = loadStudyPlan(out);
  const done = finishedJobs(out, plan);
  const status: StudyStatus = { study: plan.study, preset: plan.preset, total: plan.jobs.length, done: done.size, started: 0, failed: [], byKind: {}, wallSeconds: 0 };
  for (const job of plan.jobs) {
    const k = (status.byKind[job.kind] ??= { total: 0, done: 0 });
    k.total++;
    const d = done.get(job.key);
    if (d !== undefined) {
      k.done++;
      status.wallSeconds += d.seconds;
      continue;
    }
    const failedPath = join(jobDir(out, job.key), FAILED_FILE);
    if (existsSync(failedPath)) status.failed.push({ key: job.key, specPath: specPath(out, job.key), message: (JSON.parse(readFileSync(failedPath, 'utf8')) as { message: string }).message });
    else if (existsSync(join(jobDir(out, job.key), SPEC_FILE))) status.started++;
  }
  status.wallSeconds = Math.round(status.wallSeconds * 10) / 10;
  return status;
}
