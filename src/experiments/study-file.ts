/**
 * `OUT/study.json`: the plan a study folder holds, and the folder's study id — random when the file is first
 * written and kept by every later run, so two folders holding the same plan still have different ids. Queued jobs
 * carry the id, and a worker whose OUT holds another id (a wrong `--out`) refuses them (`queue-worker.ts`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import type { StudyPlan } from './study.ts';

export const STUDY_FILE = 'study.json';

/** What `OUT/study.json` holds. */
export interface StudyFile {
  schemaVersion: 1;
  /** The folder's study id; absent in files written before ids were recorded. */
  id?: string;
  plan: StudyPlan;
}

/** `OUT/study.json`, or null when OUT holds none; an unreadable file is an error naming it. */
export function readStudyFile(out: string): StudyFile | null {
  const path = join(out, STUDY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new MultiraterError('io_error', `${path}: cannot read (${code ?? (e as Error).message})`);
  }
  let value: Partial<StudyFile> | null;
  try {
    value = JSON.parse(text) as Partial<StudyFile> | null;
  } catch {
    throw new MultiraterError('invalid_argument', `${path}: not JSON (truncated or corrupted); run \`multirater study run\` again to rewrite it`);
  }
  if (value === null || typeof value !== 'object' || typeof value.plan !== 'object' || value.plan === null || !Array.isArray(value.plan.jobs)) {
    throw new MultiraterError('invalid_argument', `${path}: expected { schemaVersion, id, plan: { study, preset, jobs, … } } as \`multirater study run\` writes it`);
  }
  return value as StudyFile;
}

/** Records `plan` in `OUT/study.json`, keeping the folder's id (a new random one when there is none). */
export function writeStudyFile(out: string, plan: StudyPlan): StudyFile {
  let id: string | undefined;
  try {
    id = readStudyFile(out)?.id;
  } catch {
    // An unreadable study.json is replaced, and the folder gets a new id.
  }
  const file: StudyFile = { schemaVersion: 1, id: id ?? randomUUID(), plan };
  writeFileAtomic(join(out, STUDY_FILE), JSON.stringify(file, null, 2) + '\n');
  return file;
}
