import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeJob } from './job.ts';
import type { StudyPlan } from './study.ts';
import { readStudyFile, STUDY_FILE, writeStudyFile } from './study-file.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-study-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const plan = (seed: number): StudyPlan => ({ study: 'nonexpert', title: 't', preset: 'smoke', options: { seed }, settings: {}, seeds: [seed], jobs: [makeJob('simulate', { seed })] });

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

  it('refuses a truncated or foreign study.json in one line naming it', () => {
    const d = join(root, 'd');
    writeStudyFile(d, plan(1));
    const path = join(d, STUDY_FILE);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
    expect(() => readStudyFile(d)).toThrow(`${path}: not JSON (truncated or corrupted); run \`multirater study run\` again to rewrite it`);
    writeFileSync(path, 'null');
    expect(() => readStudyFile(d)).toThrow(`${path}: expected { schemaVersion, id, plan: { study, preset, jobs, … } } as \`multirater study run\` writes it`);
  });
});
