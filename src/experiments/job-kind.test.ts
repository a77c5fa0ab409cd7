import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MultiraterError } from '../errors.ts';
import { jobDir, makeJob, readJobRecords, SPEC_FILE } from './job.ts';
import { getJobKind, jobSpecProblem } from './jobs/builtins.ts';
import { planStudy } from './run-study.ts';
import { BUILTIN_STUDIES } from './studies/builtins.ts';
import { PRESET_NAMES } from './study.ts';
import { readStudyFile } from './study-file.ts';

describe('a job kind made with defineJobKind', () => {
  it('refuses a spec with a field of the wrong type in one line naming the job and the field, and describes it as invalid', async () => {
    const job = makeJob('train', { labelSource: 'truth', iterations: '600' });
    const context = { out: '/nonexistent', dir: '/nonexistent', progress: () => undefined, log: () => undefined };
    await expect(getJobKind('train').run(job, context)).rejects.toThrow(
      new MultiraterError(
        'invalid_record',
        `job ${job.key}: spec.iterations: Invalid input: expected number, received string`,
      ),
    );
    expect(getJobKind('train').describe(job)).toBe(
      'invalid spec (spec.iterations: Invalid input: expected number, received string)',
    );
  });

  it('names the phantoms when a simulate spec names another', async () => {
    const job = makeJob('simulate', { phantom: 'lung', seed: 1 });
    const context = { out: '/nonexistent', dir: '/nonexistent', progress: () => undefined, log: () => undefined };
    await expect(getJobKind('simulate').run(job, context)).rejects.toThrow(
      `job ${job.key}: spec.phantom: unknown phantom "lung" (expected cardiac, mnist, headneck or braingrowth)`,
    );
  });

  it('describes a valid spec as before, and reports no problem with it', () => {
    const spec = { labelSource: 'expert', loss: 'mae+dice', iterations: 20, seed: 3 };
    expect(getJobKind('train').describe(makeJob('train', spec))).toBe('unet2d on expert, mae+dice, 20 it, seed 3');
    expect(getJobKind('train').specProblem?.(spec)).toBeNull();
    expect(getJobKind('train').specProblem?.({ ...spec, seed: 'x' })).toBe(
      'spec.seed: Invalid input: expected number, received string',
    );
  });
});

describe('a spec read from disk', () => {
  const out = mkdtempSync(join(tmpdir(), 'multirater-job-kind-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('of a hand-corrupted spec.json (a wrong type in a field) is a one-line problem naming the file and the field', () => {
    const job = makeJob('train', { labelSource: 'truth', iterations: 20, seed: 1 });
    const file = join(jobDir(out, job.key), SPEC_FILE);
    mkdirSync(jobDir(out, job.key), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...job, spec: { ...job.spec, iterations: 'twenty' } }, null, 2) + '\n');
    expect(readJobRecords(out, job.key, jobSpecProblem)).toEqual({
      state: 'unreadable',
      problem: `${file}: spec.iterations: Invalid input: expected number, received string (a train job)`,
    });
  });

  it('of a hand-corrupted study.json is a one-line MultiraterError naming the file, the job and the field', () => {
    const plan = planStudy('nonexpert', 'smoke');
    const i = plan.jobs.findIndex((j) => j.kind === 'simulate');
    const jobs = plan.jobs.map((j, k) => (k === i ? { ...j, spec: { ...j.spec, seed: '1' } } : j));
    writeFileSync(join(out, 'study.json'), JSON.stringify({ schemaVersion: 1, id: 'x', plan: { ...plan, jobs } }));
    const message = `${join(out, 'study.json')}: plan.jobs.${i}: spec.seed: Invalid input: expected number, received string (a simulate job)`;
    expect(() => readStudyFile(out)).toThrow(
      new MultiraterError(
        'invalid_record',
        `${message}; \`multirater study run NAME --out ${out} --force\` replaces it`,
      ),
    );
  });

  it('is accepted for every job of every builtin study and preset', () => {
    for (const study of BUILTIN_STUDIES.values()) {
      for (const preset of PRESET_NAMES) {
        for (const job of study.plan(preset).jobs)
          expect(jobSpecProblem(job.kind, job.spec), `${study.name} ${preset} ${job.key}`).toBeNull();
      }
    }
  });
});
