/**
 * The finished smoke run of a study (`multirater study run NAME --preset smoke`), run once per `vitest run` and shared
 * by every test file that reads it: the first file to ask runs it under a lock file in the run's folder (see
 * `smoke-studies-setup.ts`), the others wait for its outcome. A test that changes a study folder works on
 * `copySmokeStudy`'s copy; a test that must run a study itself (kill, resume, lock, queue) still does.
 */
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, inject } from 'vitest';
import { runCliAsync } from './cli.ts';

export type SmokeStudyName = 'nonexpert' | 'annotators' | 'expert-adaptation' | 'noisy-ratio' | 'propagation';

/** Flags beyond `--preset smoke --out OUT`, as each study's tests have always run it. */
const EXTRA_FLAGS: Record<SmokeStudyName, string[]> = {
  nonexpert: [],
  annotators: ['--threads', '1'],
  'expert-adaptation': ['--threads', '1'],
  'noisy-ratio': ['--threads', '1'],
  propagation: ['--threads', '1'],
};

/** The arguments of `multirater study run NAME --preset smoke --out OUT ...more`. */
export function smokeArgs(name: SmokeStudyName, out: string, ...more: string[]): string[] {
  return ['study', 'run', name, '--preset', 'smoke', '--out', out, ...more];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file at `path` (exclusive create), or returns false when another live process holds it. */
function tryLock(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = Number(readFileSync(path, 'utf8'));
    // An empty file is a holder between create and write; a dead holder's lock is taken over.
    if (!Number.isInteger(holder) || holder === 0 || alive(holder)) return false;
    rmSync(path, { force: true });
    return tryLock(path);
  }
  writeFileSync(path, String(process.pid));
  return true;
}

const running = new Map<SmokeStudyName, Promise<string>>();

/** The folder of the finished smoke study `name`; runs it if no test file of this run has. Read it, do not change it. */
export function smokeStudy(name: SmokeStudyName): Promise<string> {
  let p = running.get(name);
  if (p === undefined) {
    p = runOnce(name);
    running.set(name, p);
  }
  return p;
}

async function runOnce(name: SmokeStudyName): Promise<string> {
  const dir = inject('smokeStudiesDir');
  if (!dir) throw new Error('smoke studies need the globalSetup test/smoke-studies-setup.ts (see vitest.config.ts)');
  const out = join(dir, name);
  const done = `${out}.done`;
  const failed = `${out}.failed`;
  for (;;) {
    if (existsSync(done)) return out;
    if (existsSync(failed)) throw new Error(`the shared smoke study ${name} failed:\n${readFileSync(failed, 'utf8')}`);
    if (tryLock(`${out}.lock`)) break;
    await sleep(200);
  }
  if (existsSync(done)) return out;
  rmSync(out, { recursive: true, force: true });
  const r = await runCliAsync(smokeArgs(name, out, ...EXTRA_FLAGS[name]), { timeoutMs: 600_000 });
  if (r.code !== 0) {
    writeFileSync(failed, `exit ${r.code}\n${r.stderr}`);
    throw new Error(`multirater ${smokeArgs(name, out).join(' ')} exited ${r.code}:\n${r.stderr}`);
  }
  writeFileSync(done, '');
  return out;
}

/** A copy of the finished smoke study `name` at `dest`, for a test that changes it. */
export async function copySmokeStudy(name: SmokeStudyName, dest: string): Promise<string> {
  cpSync(await smokeStudy(name), dest, { recursive: true });
  return dest;
}

/** Every table of a study's report (Markdown, CSV, JSON), concatenated: its results, without its wall times. */
export function studyTables(out: string): string {
  const dir = join(out, 'report', 'tables');
  return readdirSync(dir)
    .sort()
    .map((f) => `${f}\n${readFileSync(join(dir, f), 'utf8')}`)
    .join('\n');
}

/** A JSON file's contents. */
export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** A study folder's report.json, after checking its tables' ids (in order) and that each of `files` is in report/. */
export function checkedReport(out: string, tableIds: readonly string[], files: readonly string[]) {
  const report = readJson(join(out, 'report', 'report.json'));
  expect(report.tables.map((t: { id: string }) => t.id)).toEqual(tableIds);
  for (const f of files) expect(existsSync(join(out, 'report', f)), f).toBe(true);
  return report;
}

/** The plan's jobs as study.json records them. */
export interface PlannedJob {
  kind: string;
  key: string;
  tags: Record<string, string | number>;
  needs: Record<string, string>;
  spec: Record<string, unknown>;
}

/** The jobs of the plan in `out`/study.json. */
export function plannedJobs(out: string): PlannedJob[] {
  return JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')).plan.jobs as PlannedJob[];
}

/** A test file's finished smoke study: `out` and `jobs` are filled by a beforeAll that waits for the run. */
export interface FinishedSmokeStudy {
  /** The study's folder. */
  out: string;
  /** The plan's jobs. */
  jobs: PlannedJob[];
  /** A path in the folder of the job `key`. */
  jobFile: (key: string, ...path: string[]) => string;
}

/** Registers the beforeAll (up to 300 s) that fills the returned study; call it in the file's describe. */
export function finishedSmokeStudy(name: SmokeStudyName): FinishedSmokeStudy {
  const study: FinishedSmokeStudy = {
    out: '',
    jobs: [],
    jobFile: (key, ...path) => join(study.out, 'jobs', key, ...path),
  };
  beforeAll(async () => {
    study.out = await smokeStudy(name);
    study.jobs = plannedJobs(study.out);
  }, 300_000);
  return study;
}
