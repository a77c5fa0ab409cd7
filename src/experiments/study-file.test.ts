import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { makeJob } from './job.ts';
import type { StudyPlan, StudyPlanOptions } from './study.ts';
import {
  claimStudyFolder,
  readStudyFile,
  REPORT_DIR,
  STUDY_FILE,
  studyIdentity,
  writeStudyFile,
} from './study-file.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-study-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const plan = (seed: number): StudyPlan => ({
  study: 'nonexpert',
  title: 't',
  preset: 'smoke',
  options: { seed },
  settings: {},
  seeds: [seed],
  jobs: [makeJob('simulate', { phantom: 'mnist', seed })],
});

describe('study.json', () => {
  it('gets a random id when first written, kept by every later write, and different in another folder', () => {
    const a = join(root, 'a');
    const first = writeStudyFile(a, plan(1));
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(writeStudyFile(a, plan(2)).id).toBe(first.id);
    expect(readStudyFile(a)).toEqual({ schemaVersion: 1, id: first.id, plan: plan(2) });
    expect(writeStudyFile(join(root, 'b'), plan(1)).id).not.toBe(first.id);
  });

  it('gives a file of an older version (no id) a new id, and reads no file as null', () => {
    const c = join(root, 'c');
    expect(readStudyFile(c)).toBeNull();
    writeStudyFile(c, plan(1));
    writeFileSync(join(c, STUDY_FILE), JSON.stringify({ schemaVersion: 1, plan: plan(1) }));
    expect(readStudyFile(c)?.id).toBeUndefined();
    expect(writeStudyFile(c, plan(1)).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a truncated or foreign study.json, or one holding an edited job, in one line naming it', () => {
    const d = join(root, 'd');
    writeStudyFile(d, plan(1));
    const path = join(d, STUDY_FILE);
    const text = readFileSync(path, 'utf8');
    const fix = `; \`multirater study run NAME --out ${d} --force\` replaces it`;
    writeFileSync(path, text.slice(0, 40));
    expect(() => readStudyFile(d)).toThrow(`${path}: not JSON (truncated or corrupted)${fix}`);
    writeFileSync(path, 'null');
    expect(() => readStudyFile(d)).toThrow(
      `${path}: (root): Invalid input: expected object, received null; expected { schemaVersion, id, plan: { study, preset, jobs, … } } as \`multirater study run\` writes it${fix}`,
    );
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, plan: { ...plan(1), preset: 'huge' } }));
    expect(() => readStudyFile(d)).toThrow(
      /study\.json: plan\.preset: Invalid option: expected one of "smoke"\|"default"\|"paper"; expected /,
    );
    const edited = JSON.parse(text);
    edited.plan.jobs[0].spec.seed = 7;
    writeFileSync(path, JSON.stringify(edited));
    expect(() => readStudyFile(d)).toThrow(
      `${path}: plan.jobs.0: its kind, spec and needs hash to ${makeJob('simulate', { phantom: 'mnist', seed: 7 }).key}, not to its key ${plan(1).jobs[0].key} (edited, or copied from another job)${fix}`,
    );
  });
});

describe('claimStudyFolder: a folder holds one study', () => {
  const planOf = (study: string, preset: StudyPlan['preset'], options: StudyPlanOptions): StudyPlan => ({
    ...plan(options.seed ?? 1),
    study,
    preset,
    options,
  });
  const refused = (fn: () => unknown, code: string, message: string): void => {
    let error: unknown = null;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(isMultiraterError(error) && error.code, String(error)).toBe(code);
    expect((error as Error).message).toBe(message);
  };
  /** A folder holding nonexpert --preset smoke --seed 1 with a report. */
  const holding = (name: string): string => {
    const out = join(root, name);
    claimStudyFolder(out, planOf('nonexpert', 'smoke', {}));
    mkdirSync(join(out, REPORT_DIR));
    writeFileSync(join(out, REPORT_DIR, 'report.md'), '# old');
    return out;
  };

  it('lets the same study resume (an explicit default seed is the same seed) and keeps its id', () => {
    const out = holding('same');
    const id = readStudyFile(out)?.id;
    expect(claimStudyFolder(out, planOf('nonexpert', 'smoke', { seed: 1 })).id).toBe(id);
    expect(existsSync(join(out, REPORT_DIR, 'report.md'))).toBe(true);
  });

  it('refuses another study, preset, seed or data folder in one line naming what is there and what differs', () => {
    const out = holding('other');
    const before = readFileSync(join(out, STUDY_FILE), 'utf8');
    const there = `${out} holds the study nonexpert --preset smoke --seed 1, not`;
    const use = 'use another options.out, or options.force to replace it';
    refused(
      () => claimStudyFolder(out, planOf('annotators', 'smoke', {})),
      'output_conflict',
      `${there} annotators --preset smoke --seed 1 (another study); ${use}`,
    );
    refused(
      () => claimStudyFolder(out, planOf('nonexpert', 'default', { seed: 2 })),
      'output_conflict',
      `${there} nonexpert --preset default --seed 2 (another --preset, --seed); ${use}`,
    );
    refused(
      () => claimStudyFolder(out, planOf('nonexpert', 'smoke', { data: '/d', shiftedData: '/s' })),
      'output_conflict',
      `${there} nonexpert --preset smoke --seed 1 --data /d --shifted-data /s (another --data, --shifted-data); ${use}`,
    );
    expect(readFileSync(join(out, STUDY_FILE), 'utf8')).toBe(before);
    expect(existsSync(join(out, REPORT_DIR, 'report.md'))).toBe(true);
  });

  it('with force, says in one line what it replaces, removes the old report and study.json, and gives the folder a new id', () => {
    const out = holding('forced');
    const id = readStudyFile(out)?.id;
    const lines: string[] = [];
    const file = claimStudyFolder(out, planOf('nonexpert', 'smoke', { seed: 2 }), {
      force: true,
      log: (l) => lines.push(l),
    });
    expect(lines).toEqual([
      `--force: replacing the study nonexpert --preset smoke --seed 1 in ${out} with nonexpert --preset smoke --seed 2: removed ${join(out, REPORT_DIR)} and ${join(out, STUDY_FILE)}; the job folders stay, and the new plan reuses those it shares`,
    ]);
    expect(existsSync(join(out, REPORT_DIR))).toBe(false);
    expect(file.id).not.toBe(id);
    expect(studyIdentity(readStudyFile(out)!.plan)).toBe('nonexpert --preset smoke --seed 2');
  });

  it('refuses an unreadable study.json (which study the folder holds is unknown) unless forced', () => {
    const out = holding('unreadable');
    const path = join(out, STUDY_FILE);
    writeFileSync(path, '{"schemaVersion": 1, "pl');
    refused(
      () => claimStudyFolder(out, planOf('nonexpert', 'smoke', {})),
      'invalid_record',
      `${path}: not JSON (truncated or corrupted), so which study ${out} holds is unknown; options.force replaces it with nonexpert --preset smoke --seed 1 (removing ${join(out, REPORT_DIR)}; the job folders stay, and the new plan reuses those it shares)`,
    );
    const lines: string[] = [];
    claimStudyFolder(out, planOf('nonexpert', 'smoke', {}), { force: true, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(
      /^--force: replacing the unreadable \S+study\.json with nonexpert --preset smoke --seed 1: removed /,
    );
    expect(existsSync(join(out, REPORT_DIR))).toBe(false);
    expect(readStudyFile(out)?.plan.study).toBe('nonexpert');
  });
});
