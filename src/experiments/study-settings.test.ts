import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MultiraterError } from '../errors.ts';
import { planStudy, writeStudyReport } from './run-study.ts';
import { BUILTIN_STUDIES } from './studies/builtins.ts';
import { PRESET_NAMES, type StudyPlan } from './study.ts';

describe("a study's settings", () => {
  it.each([...BUILTIN_STUDIES.keys()])('of every %s preset plan pass its schema', (name) => {
    const study = BUILTIN_STUDIES.get(name)!;
    for (const preset of PRESET_NAMES) {
      const plan = study.plan(preset, { seed: 7 });
      expect(study.settingsProblem?.(plan.settings), `${name} ${preset}`).toBeNull();
      expect(plan.settings.seed).toBe(7);
    }
  });

  it('with a field of the wrong type or missing are named by the schema', () => {
    const study = BUILTIN_STUDIES.get('nonexpert')!;
    const { settings } = study.plan('smoke');
    expect(study.settingsProblem?.({ ...settings, repeats: '1' })).toBe(
      'plan.settings.repeats: Invalid input: expected number, received string',
    );
    const { testSets: _testSets, ...withoutTestSets } = settings;
    expect(study.settingsProblem?.(withoutTestSets)).toBe(
      'plan.settings.testSets: Invalid input: expected array, received undefined',
    );
    expect(study.settingsProblem?.({ ...settings, arms: [{ rater: 'expert', loss: 'mse' }] })).toBe(
      'plan.settings.arms.0.loss: Invalid option: expected one of "ce+dice"|"mae+dice"',
    );
  });
});

describe('a report from a study.json whose settings were hand-edited', () => {
  const root = mkdtempSync(join(tmpdir(), 'multirater-study-settings-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const writePlan = (out: string, plan: StudyPlan): void =>
    writeFileSync(join(out, 'study.json'), JSON.stringify({ schemaVersion: 1, id: 'x', plan }, null, 2) + '\n');

  it.each([
    ['annotators', 'train', { iterations: 30, batchSize: 4, lr: 3e-3, validateEvery: 'ten' }, 'train.validateEvery'],
    ['propagation', 'armNames', 'ED/ES', 'armNames'],
    ['expert-adaptation', 'newExperts', null, 'newExperts'],
    ['noisy-ratio', 'draws', -1, 'draws'],
  ])('(%s, %s) is refused in one line naming the file, the field and the study', async (name, key, value, field) => {
    const out = mkdtempSync(join(root, `${name}-`));
    const plan = planStudy(name, 'smoke');
    writePlan(out, { ...plan, settings: { ...plan.settings, [key]: value } });
    const error = await writeStudyReport(out, { partial: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MultiraterError);
    const { code, message } = error as MultiraterError;
    expect(code).toBe('invalid_record');
    expect(message.startsWith(`${join(out, 'study.json')}: plan.settings.${field}: `), message).toBe(true);
    expect(message.endsWith(` (the ${name} study)`), message).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('names the field exactly for a repeat count written as a string', async () => {
    const out = mkdtempSync(join(root, 'nonexpert-'));
    const plan = planStudy('nonexpert', 'smoke');
    writePlan(out, { ...plan, settings: { ...plan.settings, repeats: '1' } });
    await expect(writeStudyReport(out, { partial: true })).rejects.toThrow(
      new MultiraterError(
        'invalid_record',
        `${join(out, 'study.json')}: plan.settings.repeats: Invalid input: expected number, received string (the nonexpert study)`,
      ),
    );
  });

  it('as planned gives a report (no job finished: empty tables, 0 evaluations finished)', async () => {
    const out = mkdtempSync(join(root, 'nonexpert-ok-'));
    writePlan(out, planStudy('nonexpert', 'smoke'));
    const { report, unfinished } = await writeStudyReport(out, { partial: true });
    expect(report.study).toBe('nonexpert');
    expect(unfinished.length).toBe(planStudy('nonexpert', 'smoke').jobs.length);
    expect(report.notes).toContain(
      '0 of 10 evaluations finished.' /* the smoke plan's evaluate jobs: 10 since the random-error arm */,
    );
  });
});
