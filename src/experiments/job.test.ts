import { describe, expect, it } from 'vitest';
import { canonicalJson, jobId, makeJob, topologicalOrder } from './job.ts';
import { planNonexpert } from './studies/nonexpert.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, so key order never changes the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":3,"z":2}]},"b":1}');
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

  it('change with a needed job\'s id, and with the role it is needed in', () => {
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
    // The smoke grid: 2 simulations, 3 trainings (expert CE+Dice, nonexpert1 CE+Dice and MAE+Dice), 2 test sets each.
    const count = (kind: string) => a.jobs.filter((j) => j.kind === kind).length;
    expect([count('simulate'), count('train'), count('predict'), count('evaluate'), count('aggregate')]).toEqual([2, 3, 6, 6, 1]);
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
