/**
 * `estimateStudy` on the nonexpert study's smoke preset (real jobs, ~10 s), the per-step timings on made-up times,
 * and the list schedule on a hand-made graph.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeJob, planStudy, readDone, type StudyPlan } from '../experiments/index.ts';
import {
  CALIBRATION_SCHEDULE,
  calibrationFile,
  calibrationSchedule,
  estimateStudy,
  formatWall,
  perStepTimings,
  type EstimateEvent,
} from './estimate-study.ts';
import { jobCostClasses, trainingSchedule } from './job-cost-class.ts';
import { listSchedule } from './list-schedule.ts';

describe('jobCostClasses', () => {
  it('puts trainings that differ only in the labels they read, and evaluations only in what they compare with, in one class', () => {
    const sim = makeJob('simulate', { phantom: 'headneck', subjects: 4 });
    const spec = { model: 'unet2d', patchSize: [32, 32], iterations: 300, seed: 1 };
    const a = makeJob('train', { ...spec, labelSource: 'noisy0_d1' }, { data: sim });
    const b = makeJob('train', { ...spec, labelSource: 'noisy20_d3', seed: 3 }, { data: sim });
    const wider = makeJob('train', { ...spec, labelSource: 'noisy0_d1', patchSize: [64, 64] }, { data: sim });
    const pa = makeJob('predict', { split: 'test' }, { data: sim, model: a });
    const pb = makeJob('predict', { split: 'test' }, { data: sim, model: b });
    const ea = makeJob('evaluate', { split: 'test', against: 'truth' }, { data: sim, pred: pa });
    const eb = makeJob('evaluate', { split: 'test', against: 'noisy20_d3' }, { data: sim, pred: pb });
    const c = jobCostClasses([sim, a, b, wider, pa, pb, ea, eb]);
    expect(c.get(b.key)).toBe(c.get(a.key));
    expect(c.get(wider.key)).not.toBe(c.get(a.key));
    expect(c.get(pb.key)).toBe(c.get(pa.key));
    expect(c.get(eb.key)).toBe(c.get(ea.key));
  });
});

describe('listSchedule', () => {
  // A(3) and B(1) start at 0; B ends at 1 and D(4, needs B) starts there, ending at 5; A ends at 3 and C(2, needs A)
  // starts there, ending at 5. On one slot the jobs run one after another: 3 + 1 + 2 + 4 = 10.
  const jobs = [
    { key: 'A', needs: [], seconds: 3 },
    { key: 'B', needs: [], seconds: 1 },
    { key: 'C', needs: ['A'], seconds: 2 },
    { key: 'D', needs: ['B'], seconds: 4 },
  ];
  it('places a graph on 2 machines × 1 worker: makespan 5, C starts at 3 and D at 1', () => {
    const { makespan, starts } = listSchedule(jobs, 2);
    expect(makespan).toBe(5);
    expect(Object.fromEntries(starts)).toEqual({ A: 0, B: 0, C: 3, D: 1 });
  });
  it('runs them back to back on one slot (10 s) and in parallel where the graph allows on many (5 s)', () => {
    expect(listSchedule(jobs, 1).makespan).toBe(10);
    expect(listSchedule(jobs, 8).makespan).toBe(5);
  });
  it('starts the first ready job in plan order, not the longest', () => {
    // slot 1: X(1) then Z(5) → 6; slot 2: Y(2); the runner does not reorder to put Z first.
    const r = listSchedule(
      [
        { key: 'X', needs: [], seconds: 1 },
        { key: 'Y', needs: [], seconds: 2 },
        { key: 'Z', needs: [], seconds: 5 },
      ],
      2,
    );
    expect(r.makespan).toBe(6);
  });
});

/**
 * The progress times (one after each step) and total seconds of a made-up training job on `schedule`: start-up, then
 * each step, a validation after every `validateEvery`-th step and a checkpoint after every `checkpointEvery`-th and
 * after the last (as the training loop does), then the export.
 */
function progressTimes(
  cost: { startup: number; step: number; validation: number; checkpoint: number; finish: number },
  schedule: { iterations: number; validateEvery: number; checkpointEvery: number },
): { times: number[]; total: number } {
  const times: number[] = [];
  let t = cost.startup;
  for (let k = 1; k <= schedule.iterations; k++) {
    const last = k === schedule.iterations;
    t += cost.step;
    times.push(t);
    if (k % schedule.validateEvery === 0 || last) t += cost.validation;
    if (k % schedule.checkpointEvery === 0 || last) t += cost.checkpoint;
  }
  return { times, total: t + cost.finish };
}

describe('perStepTimings', () => {
  it('reads step, validation, checkpoint and fixed seconds from the progress times', () => {
    // 40 steps of 0.1 s after 2 s of start-up; +0.5 s after iterations 8, 16, …; +0.2 s after 5, 10, …; 1 s export.
    const { times, total } = progressTimes(
      { startup: 2, step: 0.1, validation: 0.5, checkpoint: 0.2, finish: 1 },
      {
        iterations: 40,
        validateEvery: 8,
        checkpointEvery: 5,
      },
    );
    const r = perStepTimings(times, total, { validateEvery: 8, checkpointEvery: 5 });
    expect(r.stepSeconds).toBeCloseTo(0.1, 9);
    expect(r.validationSeconds).toBeCloseTo(0.5, 9);
    expect(r.checkpointSeconds).toBeCloseTo(0.2, 9);
    // total = 2 + 40 × 0.1 + 5 × 0.5 + 8 × 0.2 + 1; the model takes the start-up and export together.
    expect(r.fixedSeconds).toBeCloseTo(3, 9);
  });
});

describe('formatWall', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect([12.34, 185, 3720, 369000].map(formatWall)).toEqual(['12.3 s', '3 min 05 s', '1 h 02 min', '4 d 06 h']);
  });
});

describe('calibrationSchedule', () => {
  it('keeps the default 40 / 8 / 5 and gives 6 steps validations every 3 and checkpoints every 4', () => {
    expect(calibrationSchedule(40)).toEqual(CALIBRATION_SCHEDULE);
    expect(calibrationSchedule(6)).toEqual({ iterations: 6, validateEvery: 3, checkpointEvery: 4 });
    // round(20 / 8) = 3 → 4 = the validation period: checkpoints move to every 5.
    expect(calibrationSchedule(20)).toEqual({ iterations: 20, validateEvery: 4, checkpointEvery: 5 });
  });
  it('times a step, a validation and a checkpoint from a 6-step copy', () => {
    // 6 steps of 2 s after 10 s of start-up; +3 s after iterations 3 and 6, +1 s after 4 and 6; 4 s export.
    const schedule = calibrationSchedule(6);
    const { times, total } = progressTimes({ startup: 10, step: 2, validation: 3, checkpoint: 1, finish: 4 }, schedule);
    const r = perStepTimings(times, total, schedule);
    expect(r).toEqual({ stepSeconds: 2, validationSeconds: 3, checkpointSeconds: 1, fixedSeconds: 14 });
  });
  it('refuses fewer than 6 steps, naming the option', () => {
    expect(() => calibrationSchedule(5)).toThrow(/options\.calibrationSteps must be an integer ≥ 6, got 5/);
  });
});

describe('estimateStudy on the nonexpert smoke preset', () => {
  const out = mkdtempSync(join(tmpdir(), 'multirater-estimate-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  // The smoke plan and one more train job of the first one's class: the same network and data, 3× the iterations.
  const smoke = planStudy('nonexpert', 'smoke');
  const first = smoke.jobs.find((j) => j.kind === 'train')!;
  const longer = makeJob(
    'train',
    { ...first.spec, iterations: 3 * (first.spec.iterations as number), seed: 7 },
    first.needs,
  );
  const plan: StudyPlan = { ...smoke, jobs: [...smoke.jobs, longer] };

  it('calibrates once, caches, runs simulations for real and predicts training time linear in iterations', async () => {
    const events: EstimateEvent[] = [];
    const a = await estimateStudy(plan, { out, workers: 2, onProgress: (e) => events.push(e) });
    expect(jobCostClasses(plan.jobs).get(longer.key)).toBe(jobCostClasses(plan.jobs).get(first.key));
    expect(a.calibration.calibrated).toBe(a.calibration.classes);
    expect(events.filter((e) => e.type === 'calibrate')).toHaveLength(a.calibration.classes);
    expect(a.threads).toBe(a.machine.cpus >= 2 ? Math.floor(a.machine.cpus / 2) : 1);

    // simulate jobs ran into the study's own folder, so `study run` skips them; their estimate is what they took
    for (const job of plan.jobs.filter((j) => j.kind === 'simulate')) {
      const done = readDone(out, job.key);
      expect(done).not.toBeNull();
      const estimate = a.jobs.find((j) => j.key === job.key)!;
      expect(estimate.method).toBe('measured');
      expect(estimate.seconds).toBeCloseTo(done!.seconds, 3);
    }

    // fixed + iterations × step + validations × validation + checkpoints × checkpoint, from the cached entry
    const cache = JSON.parse(readFileSync(calibrationFile(out), 'utf8')) as {
      entries: Record<string, { stepSeconds: number; validationSeconds: number; checkpointSeconds: number }>;
    };
    const costClass = a.jobs.find((j) => j.key === first.key)!.costClass;
    const entry = Object.entries(cache.entries).find(([k]) => k.startsWith(costClass + '@'))![1];
    expect(entry.stepSeconds).toBeGreaterThan(0);
    const s1 = trainingSchedule(first);
    const s3 = trainingSchedule(longer);
    expect(s3.iterations).toBe(3 * s1.iterations);
    const delta =
      (s3.iterations - s1.iterations) * entry.stepSeconds +
      (s3.validations - s1.validations) * entry.validationSeconds +
      (s3.checkpoints - s1.checkpoints) * entry.checkpointSeconds;
    const seconds = (key: string): number => a.jobs.find((j) => j.key === key)!.seconds;
    expect(seconds(longer.key) - seconds(first.key)).toBeCloseTo(delta, 2);
    expect(seconds(longer.key)).toBeGreaterThan(seconds(first.key));

    // the per-kind sums add up to the total, and the wall time lies between one slot's share and the sum
    const sum = a.kinds.reduce((x, k) => x + k.seconds, 0);
    expect(sum).toBeCloseTo(a.jobSeconds, 0);
    expect(a.wallSeconds).toBeLessThanOrEqual(a.jobSeconds + 0.1);
    expect(a.wallSeconds).toBeGreaterThanOrEqual(a.jobSeconds / 2 - 0.1);
    expect(a.kinds.find((k) => k.kind === 'predict')?.method).toBe('one-run');

    // a second estimate reads the cache: nothing calibrated, the same predictions; 10 machines are faster
    events.length = 0;
    const b = await estimateStudy(plan, { out, workers: 2, machines: 10, onProgress: (e) => events.push(e) });
    expect(b.calibration.calibrated).toBe(0);
    expect(events.filter((e) => e.type === 'calibrate')).toEqual([]);
    expect(b.jobs).toEqual(a.jobs);
    expect(b.wallSeconds).toBeLessThan(a.wallSeconds);

    // recalibrate starts over
    const c = await estimateStudy(plan, { out, workers: 2, recalibrate: true });
    expect(c.calibration.calibrated).toBe(c.calibration.classes);
    expect(existsSync(join(out, 'estimate', 'calibration', 'jobs'))).toBe(true);
  }, 120_000);

  it('refuses a machine count that is not a positive integer, naming the option', async () => {
    await expect(estimateStudy(plan, { out, machines: 0 })).rejects.toThrow(
      'options.machines must be a positive integer, got 0',
    );
  });
});
