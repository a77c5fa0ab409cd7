import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  DONE_FILE,
  isDone,
  jobDir,
  jobId,
  makeJob,
  parseJob,
  readDone,
  readJobRecords,
  SPEC_FILE,
  topologicalOrder,
  type Job,
  type JobDone,
} from './job.ts';
import { planNonexpert } from './studies/nonexpert.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so key order never changes the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":3,"z":2}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('job ids', () => {
  const sim = makeJob('simulate', { phantom: 'cardiac', subjects: 8, seed: 1 });
  const train = makeJob('train', { model: 'unet2d', iterations: 20 }, { data: sim });

  it('are the first 12 hex digits of the SHA-256 of {kind, spec, needs}, stable across runs', () => {
    // Pinned: a change of the hashing (or of canonicalJson) would silently re-run every study.
    expect(sim.id).toBe(jobId('simulate', { seed: 1, subjects: 8, phantom: 'cardiac' }, {}));
    expect(sim.id).toMatch(/^[0-9a-f]{12}$/);
    expect(sim.key).toBe(`simulate-${sim.id}`);
    expect(makeJob('simulate', { phantom: 'cardiac', subjects: 8, seed: 1 }).id).toBe(sim.id);
    expect(train.needs).toEqual({ data: sim.key });
  });

  it('change exactly with the spec: any setting, but not the tags', () => {
    expect(makeJob('simulate', { phantom: 'cardiac', subjects: 9, seed: 1 }).id).not.toBe(sim.id);
    expect(makeJob('simulate', { phantom: 'cardiac', subjects: 8, seed: 2 }).id).not.toBe(sim.id);
    expect(makeJob('fuse', { phantom: 'cardiac', subjects: 8, seed: 1 }).id).not.toBe(sim.id);
    expect(makeJob('simulate', { phantom: 'cardiac', subjects: 8, seed: 1 }, {}, { testSet: 'x' }).id).toBe(sim.id);
  });

  it("change with a needed job's id, and with the role it is needed in", () => {
    const otherSim = makeJob('simulate', { phantom: 'cardiac', subjects: 8, seed: 2 });
    expect(makeJob('train', { model: 'unet2d', iterations: 20 }, { data: otherSim }).id).not.toBe(train.id);
    expect(makeJob('train', { model: 'unet2d', iterations: 20 }, { other: sim }).id).not.toBe(train.id);
    expect(makeJob('train', { model: 'unet2d', iterations: 20 }, { data: sim.key }).id).toBe(train.id);
  });

  it('a changed setting re-plans exactly the jobs it reaches', () => {
    const a = planNonexpert('smoke');
    const b = planNonexpert('smoke', { seed: 2 });
    // Seed 2 changes every simulation and training, so every job downstream.
    expect(a.jobs.filter((j) => b.jobs.some((k) => k.key === j.key))).toEqual([]);
    const keys = new Set(a.jobs.map((j) => j.key));
    expect(keys.size).toBe(a.jobs.length);
    // The smoke grid: 2 simulations, 5 trainings (expert CE+Dice; nonexpert1 and nonexpert1-random, each CE+Dice and
    // MAE+Dice), 2 test sets each.
    const count = (kind: string) => a.jobs.filter((j) => j.kind === kind).length;
    expect([count('simulate'), count('train'), count('predict'), count('evaluate'), count('aggregate')]).toEqual([
      2, 5, 10, 10, 1,
    ]);
  });
});

describe('topologicalOrder', () => {
  it('puts every job after the jobs it needs and rejects unknown needs', () => {
    const a = makeJob('simulate', { n: 1 });
    const b = makeJob('train', { n: 2 }, { data: a });
    const c = makeJob('predict', { n: 3 }, { model: b, data: a });
    expect(topologicalOrder([c, b, a]).map((j) => j.kind)).toEqual(['simulate', 'train', 'predict']);
    expect(() => topologicalOrder([c, b])).toThrow(`job ${b.key} needs ${a.key}, which is not in the plan`);
  });
});

describe('readJobRecords: the one reader of spec.json and done.json', () => {
  const root = mkdtempSync(join(tmpdir(), 'multirater-job-records-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const sim = makeJob('simulate', { phantom: 'mnist', count: 4, seed: 1 });
  const other = makeJob('simulate', { phantom: 'mnist', count: 4, seed: 2 });
  const done = (job: Job): JobDone => ({
    schemaVersion: 1,
    key: job.key,
    kind: job.kind,
    result: { dataset: 'data' },
    seconds: 0.5,
    finishedAt: '2026-01-01T00:00:00.000Z',
  });
  let n = 0;
  /** A fresh OUT whose folder for `sim` holds these files (text as given, objects as JSON); null: not written. */
  const folder = (spec: unknown, doneRecord: unknown): { out: string; dir: string } => {
    const out = join(root, `out${n++}`);
    const dir = jobDir(out, sim.key);
    mkdirSync(dir, { recursive: true });
    const write = (file: string, v: unknown) =>
      v !== null && writeFileSync(join(dir, file), typeof v === 'string' ? v : JSON.stringify(v));
    write(SPEC_FILE, spec);
    write(DONE_FILE, doneRecord);
    return { out, dir };
  };
  const unreadable = (spec: unknown, doneRecord: unknown, problem: (dir: string) => string) => {
    const { out, dir } = folder(spec, doneRecord);
    expect(readJobRecords(out, sim.key)).toEqual({ state: 'unreadable', problem: problem(dir) });
    // Not finished for every reader: the runners re-run it, needs wait for it.
    expect(readDone(out, sim.key)).toBeNull();
    expect(isDone(out, sim.key)).toBe(false);
  };

  it('a job is done when both records are readable, of their schema, and name the folder’s job', () => {
    const { out } = folder(sim, done(sim));
    expect(readJobRecords(out, sim.key)).toEqual({ state: 'done', done: done(sim) });
    expect(readDone(out, sim.key)).toEqual(done(sim));
    expect(isDone(out, sim.key)).toBe(true);
  });

  it('tells a job never started (with or without its folder) from one started', () => {
    expect(readJobRecords(join(root, 'none'), sim.key)).toEqual({ state: 'absent', folder: false });
    expect(readJobRecords(folder(null, null).out, sim.key)).toEqual({ state: 'absent', folder: true });
    expect(readJobRecords(folder(sim, null).out, sim.key)).toEqual({ state: 'started' });
  });

  it('names a done.json that is truncated, of the wrong shape, or of another job', () => {
    const text = JSON.stringify(done(sim));
    unreadable(sim, text.slice(0, 30), (dir) => `${join(dir, DONE_FILE)}: not JSON (truncated or corrupted)`);
    unreadable(
      sim,
      { ...done(sim), seconds: 'fast' },
      (dir) => `${join(dir, DONE_FILE)}: not a done record (seconds: Invalid input: expected number, received string)`,
    );
    unreadable(
      sim,
      { a: 1 },
      (dir) => `${join(dir, DONE_FILE)}: not a done record (schemaVersion: Invalid input: expected 1)`,
    );
    unreadable(
      sim,
      done(other),
      (dir) => `${join(dir, DONE_FILE)}: records simulate job ${other.key}, not its folder's job ${sim.key}`,
    );
  });

  it('names a spec.json that is missing beside done.json, truncated, of the wrong shape, edited or another job’s', () => {
    unreadable(null, done(sim), (dir) => `${join(dir, SPEC_FILE)}: missing beside done.json`);
    unreadable(
      JSON.stringify(sim).slice(0, 20),
      done(sim),
      (dir) => `${join(dir, SPEC_FILE)}: not JSON (truncated or corrupted)`,
    );
    unreadable(
      { ...sim, needs: { data: 3 } },
      done(sim),
      (dir) => `${join(dir, SPEC_FILE)}: not a job (needs.data: Invalid input: expected string, received number)`,
    );
    const edited = { ...sim, spec: { ...sim.spec, count: 5 } };
    const hashed = `simulate-${jobId('simulate', edited.spec, {})}`;
    unreadable(
      edited,
      done(sim),
      (dir) =>
        `${join(dir, SPEC_FILE)}: its kind, spec and needs hash to ${hashed}, not to its key ${sim.key} (edited, or copied from another job)`,
    );
    unreadable(
      other,
      done(sim),
      (dir) => `${join(dir, SPEC_FILE)}: the spec of ${other.key}, not of its folder's job ${sim.key}`,
    );
    // An unreadable spec.json makes even a started job unreadable.
    unreadable('{', null, (dir) => `${join(dir, SPEC_FILE)}: not JSON (truncated or corrupted)`);
  });

  it('parseJob accepts a planned job (tags are not hashed) and refuses one whose key its content does not hash to', () => {
    expect(parseJob(JSON.parse(JSON.stringify({ ...sim, tags: { testSet: 'x' } })))).toEqual({
      job: { ...sim, tags: { testSet: 'x' } },
      problem: null,
    });
    expect(parseJob({ ...sim, id: 'xyz' }).problem).toBe('not a job (id: expected 12 hex digits)');
    expect(parseJob({ ...sim, key: other.key, id: other.id }).problem).toBe(
      `its kind, spec and needs hash to ${sim.key}, not to its key ${other.key} (edited, or copied from another job)`,
    );
  });
});
