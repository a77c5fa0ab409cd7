/**
 * `OUT/study.json`: the plan a study folder holds, and the folder's study id — random when the file is first
 * written and kept by every later run, so two folders holding the same plan still have different ids. Queued jobs
 * carry the id, and a worker whose OUT holds another id (a wrong `--out`) refuses them (`queue-worker.ts`).
 *
 * A folder holds one study: its name, preset, seed and data folders (`studyIdentity`). `claimStudyFolder` lets a
 * run of the same study resume (its plan may still change with the code: a changed job re-runs) and refuses another
 * study, preset, seed or data in one line naming what is there, unless forced; forcing removes the old study's
 * report and study.json. Job folders stay: they are named by the hash of their spec, so the new plan reuses those
 * it shares and never reads the others.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { formatSchemaIssue } from '../datasets/index.ts';
import { parseJob, readRecordJson, type Job } from './job.ts';
import { jobSpecProblem } from './jobs/builtins.ts';
import { PRESET_NAMES, type StudyPlan } from './study.ts';

/** `OUT/study.json`: the plan the folder holds and its study id (`StudyFile`). */
export const STUDY_FILE = 'study.json';
/** `OUT/report/`: the rendered report (`run-study.ts`). */
export const REPORT_DIR = 'report';

/** What `OUT/study.json` holds. */
export interface StudyFile {
  /** Version of study.json's shape; 1. */
  schemaVersion: 1;
  /** The folder's study id; absent in files written before ids were recorded. */
  id?: string;
  /** The plan as last recorded by `study run` (`claimStudyFolder`). */
  plan: StudyPlan;
}

const EXPECTED = 'expected { schemaVersion, id, plan: { study, preset, jobs, … } } as `multirater study run` writes it';

const studyFileSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().optional(),
  plan: z.looseObject({
    study: z.string().min(1),
    title: z.string(),
    preset: z.enum(PRESET_NAMES),
    options: z
      .object({ data: z.string().optional(), shiftedData: z.string().optional(), seed: z.number().int().optional() })
      .default({}),
    settings: z.record(z.string(), z.json()),
    seeds: z.array(z.number()),
    jobs: z.array(z.unknown()),
  }),
});

/** `OUT/study.json` read: the file, none (null), or the one-line problem with it. */
type StudyFileRead = { file: StudyFile | null; problem: null } | { file: null; problem: string };

function inspectStudyFile(out: string): StudyFileRead {
  const path = join(out, STUDY_FILE);
  if (!existsSync(path)) return { file: null, problem: null };
  const read = readRecordJson(path);
  if (read.problem !== null) return { file: null, problem: read.problem };
  const parsed = studyFileSchema.safeParse(read.value);
  if (!parsed.success)
    return { file: null, problem: `${path}: ${formatSchemaIssue(parsed.error.issues[0])}; ${EXPECTED}` };
  const jobs: Job[] = [];
  for (const [i, value] of parsed.data.plan.jobs.entries()) {
    const { job, problem } = parseJob(value, jobSpecProblem);
    if (problem !== null) return { file: null, problem: `${path}: plan.jobs.${i}: ${problem}` };
    jobs.push(job);
  }
  const plan = { ...parsed.data.plan, jobs } as StudyPlan;
  return {
    file: { schemaVersion: 1, ...(parsed.data.id === undefined ? {} : { id: parsed.data.id }), plan },
    problem: null,
  };
}

/** `OUT/study.json`, or null when OUT holds none; an unreadable file is an error naming it. */
export function readStudyFile(out: string): StudyFile | null {
  const read = inspectStudyFile(out);
  if (read.problem !== null)
    throw new MultiraterError(
      'invalid_record',
      `${read.problem}; \`multirater study run NAME --out ${out} --force\` replaces it`,
    );
  return read.file;
}

/** Records `plan` in `OUT/study.json`, keeping the folder's id (a new random one when there is none or it is unreadable). */
export function writeStudyFile(out: string, plan: StudyPlan): StudyFile {
  const file: StudyFile = { schemaVersion: 1, id: inspectStudyFile(out).file?.id ?? randomUUID(), plan };
  writeFileAtomic(join(out, STUDY_FILE), JSON.stringify(file, null, 2) + '\n');
  return file;
}

/** The options of `study run` that make a folder's study what it is, each as the CLI spells it (seed default 1). */
function identityFlags(plan: StudyPlan): [string, string | undefined][] {
  return [
    ['--preset', plan.preset],
    ['--seed', String(plan.options.seed ?? 1)],
    ['--data', plan.options.data],
    ['--shifted-data', plan.options.shiftedData],
  ];
}

/** `nonexpert --preset smoke --seed 1 [--data DIR] [--shifted-data DIR]`: what a folder holds, as a command's arguments. */
export function studyIdentity(plan: StudyPlan): string {
  return [
    plan.study,
    ...identityFlags(plan)
      .filter(([, v]) => v !== undefined)
      .map(([flag, v]) => `${flag} ${v}`),
  ].join(' ');
}

/** What differs between the study a folder holds and `plan`: 'study', '--preset', '--seed', '--data', '--shifted-data'. */
export function identityDifferences(held: StudyPlan, plan: StudyPlan): string[] {
  const mine = identityFlags(plan);
  const differs = identityFlags(held)
    .filter(([, v], i) => v !== mine[i][1])
    .map(([flag]) => flag);
  return held.study === plan.study ? differs : ['study', ...differs];
}

/** Options of `claimStudyFolder`. */
export interface ClaimStudyFolderOptions {
  /** Replace another study (or an unreadable study.json): its report and study.json are removed. */
  force?: boolean;
  /** Where the replacement is announced; default stderr. */
  log?: (line: string) => void;
}

/**
 * Records `plan` in `out` (which the caller holds: `study-lock.ts`) if the folder holds no study or the same one;
 * see the file comment for another study and `force`.
 */
export function claimStudyFolder(out: string, plan: StudyPlan, options: ClaimStudyFolderOptions = {}): StudyFile {
  const read = inspectStudyFile(out);
  const wanted = studyIdentity(plan);
  const keep = 'the job folders stay, and the new plan reuses those it shares';
  let replacing: string | null = null;
  if (read.problem !== null) {
    if (!options.force)
      throw new MultiraterError(
        'invalid_record',
        `${read.problem}, so which study ${out} holds is unknown; options.force replaces it with ${wanted} (removing ${join(out, REPORT_DIR)}; ${keep})`,
      );
    replacing = `the unreadable ${join(out, STUDY_FILE)}`;
  } else if (read.file !== null) {
    const differs = identityDifferences(read.file.plan, plan);
    if (differs.length > 0) {
      const held = studyIdentity(read.file.plan);
      if (!options.force)
        throw new MultiraterError(
          'output_conflict',
          `${out} holds the study ${held}, not ${wanted} (another ${differs.join(', ')}); use another options.out, or options.force to replace it`,
        );
      replacing = `the study ${held} in ${out}`;
    }
  }
  if (replacing !== null) {
    rmSync(join(out, REPORT_DIR), { recursive: true, force: true });
    rmSync(join(out, STUDY_FILE), { recursive: true, force: true });
    (options.log ?? ((line: string) => process.stderr.write(line + '\n')))(
      `--force: replacing ${replacing} with ${wanted}: removed ${join(out, REPORT_DIR)} and ${join(out, STUDY_FILE)}; ${keep}`,
    );
  }
  return writeStudyFile(out, plan);
}
