/**
 * A study run's provenance (report/'s `ReportProvenance`): `recordStudyRun` writes `OUT/study-run.json` when
 * `study run` starts — the command line, the checkout's commit, the machine, workers × threads — and
 * `studyProvenance` reads it back when the report is written, which may be in another process (`study report`)
 * or on another day; it adds the date. A folder without the file (a study run before it was recorded) gets the
 * report process's commit and machine and no command.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { usableCpus } from '../cores.ts';
import { formatSchemaIssue } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { reportProvenanceSchema, type ReportMachine, type ReportProvenance } from '../report/index.ts';
import { readRecordJson } from './job.ts';

/** `OUT/study-run.json`: how the last `study run` on OUT was started. */
export const STUDY_RUN_FILE = 'study-run.json';

/** The package's folder (this file is `src/experiments/` or `dist/experiments/` inside it). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const runFileSchema = z.object({
  schemaVersion: z.literal(1),
  startedAt: z.string(),
  command: z.string(),
  ...reportProvenanceSchema.pick({ commit: true, machine: true, workers: true, threads: true }).shape,
});

/** What `OUT/study-run.json` holds. */
export type StudyRunFile = z.infer<typeof runFileSchema>;

/** `git` in `dir`, its stdout trimmed, or null when git fails or is missing. */
function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/**
 * HEAD of the git checkout at `dir` and whether tracked files differ from it; null when `dir` is not the top of a
 * checkout (a package installed inside another project's repository is not that repository's commit) or git fails.
 */
export function gitCommit(dir: string = PACKAGE_ROOT): { sha: string; dirty: boolean } | null {
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  if (top === null || realpathSync(top) !== realpathSync(dir)) return null;
  const sha = git(dir, ['rev-parse', 'HEAD']);
  const status = git(dir, ['status', '--porcelain', '--untracked-files=no']);
  if (sha === null || status === null) return null;
  return { sha, dirty: status !== '' };
}

/** This machine: usable cores, CPU model, memory, platform, Node. */
export function machineInfo(): ReportMachine {
  return {
    cores: usableCpus(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
}

/** `word` quoted for a POSIX shell when it needs it. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** This process's command line, the program by its name (`multirater study run …`; a script path keeps its path). */
export function processCommand(argv: readonly string[] = process.argv): string {
  const program = argv[1] === undefined ? 'node' : argv[1];
  const name = /^multirater(\.[cm]?js)?$/.test(basename(program)) ? 'multirater' : program;
  return [name, ...argv.slice(2)].map(shellWord).join(' ');
}

/** What `recordStudyRun` records besides the checkout and machine. */
export interface StudyRunRecord {
  /** Local worker processes; null on a queue. */
  workers: number | null;
  /** ONNX Runtime threads per job; null when ONNX Runtime takes every core. */
  threads: number | null;
  /** The command line; default this process's (`processCommand`). */
  command?: string;
}

/** Writes `OUT/study-run.json` for a `study run` starting now (see the file comment). */
export function recordStudyRun(out: string, record: StudyRunRecord): StudyRunFile {
  const file: StudyRunFile = {
    schemaVersion: 1,
    startedAt: new Date().toISOString(),
    command: record.command ?? processCommand(),
    commit: gitCommit(),
    machine: machineInfo(),
    workers: record.workers,
    threads: record.threads,
  };
  writeFileAtomic(join(out, STUDY_RUN_FILE), JSON.stringify(file, null, 2) + '\n');
  return file;
}

/** `OUT/study-run.json`, or null when OUT has none; a file that is not one is an error naming it. */
export function readStudyRun(out: string): StudyRunFile | null {
  const path = join(out, STUDY_RUN_FILE);
  if (!existsSync(path)) return null;
  const read = readRecordJson(path);
  const parsed = read.problem === null ? runFileSchema.safeParse(read.value) : null;
  if (parsed?.success) return parsed.data;
  const problem = parsed === null ? read.problem : `${path}: ${formatSchemaIssue(parsed.error.issues[0])}`;
  throw new MultiraterError(
    'invalid_record',
    `${problem}; expected what \`multirater study run\` writes (delete it to report without the command line)`,
  );
}

/**
 * The provenance of the study in OUT, dated now (see the file comment); `finishedAt` (the jobs' done records' times)
 * gives the last run's wall time: from its start to the last job finished after it.
 */
export function studyProvenance(
  out: string,
  now: Date = new Date(),
  finishedAt: readonly string[] = [],
): ReportProvenance {
  const run = readStudyRun(out);
  const start = run === null ? NaN : Date.parse(run.startedAt);
  const last = Math.max(...finishedAt.map((t) => Date.parse(t)).filter((t) => t >= start));
  return {
    commit: run === null ? gitCommit() : run.commit,
    date: now.toISOString(),
    machine: run?.machine ?? machineInfo(),
    command: run?.command ?? null,
    workers: run?.workers ?? null,
    threads: run?.threads ?? null,
    ...(run === null ? {} : { startedAt: run.startedAt }),
    ...(Number.isFinite(last) ? { wallSeconds: Math.round(last - start) / 1000 } : {}),
  };
}
