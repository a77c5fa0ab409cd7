/**
 * A study end to end: plan it, record the plan in `OUT/study.json`, run its jobs (locally, or on a BullMQ queue
 * when a Redis URL is given), and write the report from the finished jobs into `OUT/report/` (`report.json`,
 * `report.md`, `report.html`, tables and figures). `studyStatus` and `writeStudyReport` work from `OUT/study.json` alone.
 * `runStudy` checks its inputs (data folders, the queue's URL and that Redis answers) before it writes anything,
 * then holds the OUT lock (`study-lock.ts`) from before `study.json` is written until the report is; a folder
 * holding another study is refused unless forced (`claimStudyFolder`). Jobs whose records are unreadable
 * (`readJobRecords`) are run again, each announced in one line; `studyStatus` names them; and the report is
 * written only when every job of the plan has finished (`partial` reports the finished ones).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import type { StudyReport } from '../report/index.ts';
import type { ProgressStream } from '../train/index.ts';
import { FAILED_FILE, specPath } from './execute-job.ts';
import { jobDir, readJobRecords, type JobDone, type JobRecords } from './job.ts';
import { renderStudyReport } from '../report/index.ts';
import { runJobs, threadsPerWorker, type RunJobsResult } from './runner.ts';
import { jobSpecProblem } from './jobs/builtins.ts';
import { getStudy } from './studies/builtins.ts';
import type { PresetName, StudyPlan, StudyPlanOptions } from './study.ts';
import { claimStudyFolder, readStudyFile, REPORT_DIR, STUDY_FILE, studyIdentity } from './study-file.ts';
import { acquireStudyLock } from './study-lock.ts';
import { recordStudyRun, studyProvenance } from './study-provenance.ts';

export { REPORT_DIR, STUDY_FILE } from './study-file.ts';

/** Options of `runStudy` (`study run`): which study and preset, OUT, and local workers or a Redis queue. */
export interface RunStudyOptions extends StudyPlanOptions {
  /** Registered study name (`nonexpert`). */
  study: string;
  /** `smoke`, `default` or `paper` (see `Study.presets`). */
  preset: PresetName;
  /** Output folder (OUT): jobs/, study.json, report/. */
  out: string;
  /** Replace another study (or an unreadable study.json) in OUT: its report and study.json are removed. */
  force?: boolean;
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
  /** Stops the run (Ctrl-C): local children are killed, the queue is no longer followed; no report is written. */
  signal?: AbortSignal;
  /** Where job lines, the progress bar and notices go; default stderr. */
  stream?: ProgressStream;
  /** Redraw the overall bar in place; default when the stream is a terminal. */
  bar?: boolean;
}

/** What `runStudy` did. */
export interface RunStudyResult {
  /** The plan run, as recorded in OUT/study.json. */
  plan: StudyPlan;
  /** How its jobs went: skipped, run, failed, blocked, interrupted. */
  run: RunJobsResult;
  /** The report files written (none when the run was interrupted). */
  reportFiles: string[];
}

/** The package's version, for reports. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

/** Plans a study with its data paths made absolute (so job specs name the same folders from any directory). */
export function planStudy(name: string, preset: PresetName, options: StudyPlanOptions = {}): StudyPlan {
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(p));
  return getStudy(name).plan(preset, { ...options, data: abs(options.data), shiftedData: abs(options.shiftedData) });
}

/** Refuses, in one line, data folders that hold no readable dataset (before anything is written). */
function checkDataFolders(options: StudyPlanOptions): void {
  for (const [flag, dir] of [
    ['options.data', options.data],
    ['options.shiftedData', options.shiftedData],
  ] as const) {
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
  const plan = planStudy(options.study, options.preset, {
    data: options.data,
    shiftedData: options.shiftedData,
    seed: options.seed,
  });
  checkDataFolders(options);
  if (options.queue !== undefined) await checkQueue(options.queue);
  const held = acquireStudyLock(options.out);
  try {
    const line = (text: string): void => void (options.stream ?? process.stderr).write(text + '\n');
    claimStudyFolder(options.out, plan, { force: options.force, log: line });
    recordStudyRun(options.out, {
      workers: options.queue !== undefined ? null : (options.workers ?? 1),
      threads:
        (options.queue !== undefined ? options.threads : threadsPerWorker(options.workers ?? 1, options.threads)) ??
        null,
    });
    for (const job of plan.jobs) {
      const records = readJobRecords(options.out, job.key, jobSpecProblem);
      if (records.state === 'unreadable') line(`${records.problem}; running the job again`);
    }
    const common = {
      out: options.out,
      lock: held.lock,
      signal: options.signal,
      stream: options.stream,
      bar: options.bar,
    };
    const run =
      options.queue !== undefined
        ? await (
            await import('./queue.ts')
          ).runJobsOnQueue(plan.jobs, {
            ...common,
            url: options.queue,
            queueName: options.queueName,
            redisTimeoutMs: options.redisTimeoutMs,
          })
        : await runJobs(plan.jobs, { ...common, workers: options.workers, threads: options.threads });
    const complete = !run.interrupted && run.failed.length === 0 && run.blocked.length === 0;
    const reportFiles = complete ? (await writeStudyReport(options.out)).files : [];
    return { plan, run, reportFiles };
  } finally {
    held.release();
  }
}

/** The plan recorded in `OUT/study.json`. */
export function loadStudyPlan(out: string): StudyPlan {
  const file = readStudyFile(out);
  if (file === null)
    throw new MultiraterError(
      'file_not_found',
      `${join(out, STUDY_FILE)}: no study here (run \`multirater study run NAME --out ${out}\` first)`,
    );
  return file.plan;
}

/** A job of the plan that has not finished, and why in a few words (an unreadable record: the one-line problem). */
export interface UnfinishedJob {
  /** The job's key, `<kind>-<id>`. */
  key: string;
  /** `not started`, `no folder`, `failed`, `started, not finished`, or the one-line problem of its records. */
  why: string;
}

/** Every job's records, the finished jobs, and the others with why they are not. */
function planRecords(
  out: string,
  plan: StudyPlan,
): { records: Map<string, JobRecords>; done: Map<string, JobDone>; unfinished: UnfinishedJob[] } {
  const records = new Map(plan.jobs.map((j) => [j.key, readJobRecords(out, j.key, jobSpecProblem)]));
  const done = new Map<string, JobDone>();
  const unfinished: UnfinishedJob[] = [];
  for (const [key, r] of records) {
    if (r.state === 'done') done.set(key, r.done);
    else if (r.state === 'unreadable') unfinished.push({ key, why: r.problem });
    else if (r.state === 'absent') unfinished.push({ key, why: r.folder ? 'not started' : 'no folder' });
    else
      unfinished.push({
        key,
        why: existsSync(join(jobDir(out, key), FAILED_FILE)) ? 'failed' : 'started, not finished',
      });
  }
  return { records, done, unfinished };
}

/** Options of `writeStudyReport` (`study report`). */
export interface WriteStudyReportOptions {
  /** Path of the HTML page; default OUT/report/report.html. */
  html?: string;
  /** Report the finished jobs even when others are not (their tables then lack those jobs' numbers). */
  partial?: boolean;
}

/**
 * Builds the report from the finished jobs and renders it into `OUT/report/` (report/'s `renderStudyReport`:
 * tables as Markdown, CSV and JSON, figures as SVG, `report.md`, `report.json`, `report.html`). Refuses, in one
 * line naming how many and the first few, when a job of the plan has not finished (never run, failed, its folder
 * deleted, its records unreadable), unless `partial`; `unfinished` lists them. The report carries the run's
 * provenance (`study-provenance.ts`: what `study run` recorded in `OUT/study-run.json`, dated now).
 */
export async function writeStudyReport(
  out: string,
  options: WriteStudyReportOptions = {},
): Promise<{
  /** The report as built, with its provenance (what `report.json` holds). */
  report: StudyReport;
  /** Paths of the files written (tables, figures, report.md, report.json), in writing order, the HTML page last. */
  files: string[];
  /** Jobs of the plan left out of the report (empty unless `partial`). */
  unfinished: UnfinishedJob[];
}> {
  const plan = loadStudyPlan(out);
  const { done, unfinished } = planRecords(out, plan);
  if (unfinished.length > 0 && !options.partial) {
    const first = unfinished
      .slice(0, 3)
      .map((u) => (u.why.startsWith(jobDir(out, u.key)) ? u.why : `${u.key} (${u.why})`));
    throw new MultiraterError(
      'study_incomplete',
      `${out}: no report: ${unfinished.length} of ${plan.jobs.length} jobs have not finished: ${first.join('; ')}${unfinished.length > 3 ? '; …' : ''}. \`multirater study run ${studyIdentity(plan)} --out ${out}\` runs them; \`study report --partial\` reports the finished ones`,
    );
  }
  const report: StudyReport = {
    ...getStudy(plan.study).report({ out, plan, done, packageVersion: packageVersion() }),
    provenance: studyProvenance(
      out,
      new Date(),
      [...done.values()].map((d) => d.finishedAt),
    ),
  };
  const { files } = await renderStudyReport(report, join(out, REPORT_DIR), { html: options.html });
  return { report, files, unfinished };
}

/** Where a study stands. */
export interface StudyStatus {
  /** The study's name (`nonexpert`). */
  study: string;
  /** The plan's preset. */
  preset: string;
  /** Jobs in the plan. */
  total: number;
  /** Jobs finished (readable done.json and spec.json). */
  done: number;
  /** Started (spec.json written) but neither finished nor failed: running, or interrupted. */
  started: number;
  /** Jobs whose last run failed: key, spec.json path and failed.json's message. */
  failed: {
    /** `<kind>-<id>`: the job's folder name under OUT/jobs. */
    key: string;
    /** Path of the job's spec, `OUT/jobs/<key>/spec.json`. */
    specPath: string;
    /** failed.json's message, or a parenthesised line saying failed.json is unreadable. */
    message: string;
  }[];
  /** Jobs whose spec.json or done.json cannot be trusted (not done; `study run` runs them again). */
  unreadable: {
    /** `<kind>-<id>`: the job's folder name under OUT/jobs. */
    key: string;
    /** One line naming the record file and what is wrong with it (`readJobRecords`). */
    problem: string;
  }[];
  /** Per job kind: total and done. */
  byKind: Record<
    string,
    {
      /** Jobs of the kind in the plan. */
      total: number;
      /** Of those, jobs finished (readable done.json and spec.json). */
      done: number;
    }
  >;
  /** Sum of the finished jobs' wall times, seconds. */
  wallSeconds: number;
}

/** failed.json's message, or what is wrong with the file. */
function failedMessage(path: string): string {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as { message?: unknown } | null;
    if (typeof value?.message === 'string') return value.message;
  } catch {
    // Reported below.
  }
  return `(${path}: unreadable; the job failed)`;
}

/** The status of the study in `out`, from its files. */
export function studyStatus(out: string): StudyStatus {
  const plan = loadStudyPlan(out);
  const { records, done } = planRecords(out, plan);
  const status: StudyStatus = {
    study: plan.study,
    preset: plan.preset,
    total: plan.jobs.length,
    done: done.size,
    started: 0,
    failed: [],
    unreadable: [],
    byKind: {},
    wallSeconds: 0,
  };
  for (const job of plan.jobs) {
    const k = (status.byKind[job.kind] ??= { total: 0, done: 0 });
    k.total++;
    const r = records.get(job.key)!;
    if (r.state === 'done') {
      k.done++;
      status.wallSeconds += r.done.seconds;
      continue;
    }
    if (r.state === 'unreadable') {
      status.unreadable.push({ key: job.key, problem: r.problem });
      continue;
    }
    const failedPath = join(jobDir(out, job.key), FAILED_FILE);
    if (existsSync(failedPath))
      status.failed.push({ key: job.key, specPath: specPath(out, job.key), message: failedMessage(failedPath) });
    else if (r.state === 'started') status.started++;
  }
  status.wallSeconds = Math.round(status.wallSeconds * 10) / 10;
  return status;
}
