/**
 * The cardiac phantom as the nonexpert and propagation studies draw it: its settings (one training phantom of
 * vendors A, B and one shifted-domain phantom of vendors C, D per preset), the `simulate` job that draws it, the two
 * test sets (in-domain, shifted) built from it or from given datasets, and a plan that trains models and evaluates
 * them on both.
 */
import { z } from 'zod';
import { makeJob, type Job } from '../job.ts';
import type { StudyPlanOptions } from '../study.ts';

/** Schema of one cardiac phantom in a preset: the `simulate` job's cardiac settings (vendors A–D). */
export const cardiacPhantom = z.object({
  /** Subjects drawn (each a cine with its ED and ES cases). */
  subjects: z.number().int().positive(),
  /** In-plane size (px). */
  size: z.number().int().positive(),
  /** Scanner vendors cycled through per block of subjects (A, B in training; C, D in the shifted domain). */
  vendors: z.array(z.string()),
  /** Cine frames. */
  frames: z.number().int().positive(),
});
/** A cardiac phantom of a study's preset. */
export type CardiacPhantom = z.infer<typeof cardiacPhantom>;

/** The `simulate` job drawing phantom `p` with `raters` and `seed`, tagged with the test set it serves. */
export function simulateCardiac(p: CardiacPhantom, raters: string[], seed: number, testSet: string): Job {
  const { subjects, size, vendors, frames } = p;
  return makeJob('simulate', { phantom: 'cardiac', subjects, size, vendors, frames, raters, seed }, {}, { testSet });
}

/** A preset's two phantoms: alike but for their subjects and vendors. */
export function cardiacPhantoms(p: {
  /** Subjects of the training phantom (vendors A, B). */
  subjects: number;
  /** Subjects of the shifted-domain phantom (vendors C, D). */
  shiftedSubjects: number;
  /** In-plane size (px). */
  size: number;
  /** Cine frames. */
  frames: number;
}): { phantom: CardiacPhantom; shifted: CardiacPhantom } {
  const { size, frames } = p;
  return {
    phantom: { subjects: p.subjects, size, vendors: ['A', 'B'], frames },
    shifted: { subjects: p.shiftedSubjects, size, vendors: ['C', 'D'], frames },
  };
}

/** The shifted-domain phantom is drawn with the base seed + this. */
export const SHIFTED_SEED_OFFSET = 1000;

/** A test set of a cardiac study: the data's spec part (`dataPath` when given), the jobs it needs and its split. */
export interface CardiacTestSet {
  /** `in-domain`: the training vendors' test split; `shifted`: every case of the unseen vendors. Tags `testSet`. */
  name: 'in-domain' | 'shifted';
  /** The data part of a job's spec: `{ dataPath }` for a given dataset, else empty (the data is a need). */
  spec: Job['spec'];
  /** `{ data: <simulate job> }` for a phantom; empty for a given dataset. */
  needs: Record<string, Job>;
  /** The split tested on; null: every case. */
  split: string | null;
}

/**
 * The test sets: in-domain (the `test` split of `options.data`, or of phantom `phantom` drawn with `raters` at
 * `seed`), then shifted (every case of `options.shiftedData`, or of phantom `shifted` drawn with the expert at seed
 * + 1000; none when only `options.data` is given). The in-domain data is also the training data. `add` takes each
 * simulate job; `shiftedSeed` is the seed of the shifted phantom drawn, or null.
 */
export function cardiacTestSets(
  phantoms: { phantom: CardiacPhantom; shifted: CardiacPhantom },
  raters: string[],
  seed: number,
  options: StudyPlanOptions,
  add: (job: Job) => Job,
): { testSets: CardiacTestSet[]; shiftedSeed: number | null } {
  const given = (dataPath: string, name: CardiacTestSet['name'], split: string | null): CardiacTestSet => ({
    name,
    spec: { dataPath },
    needs: {},
    split,
  });
  const drawn = (p: CardiacPhantom, simSeed: number, simRaters: string[], name: CardiacTestSet['name']) => ({
    name,
    spec: {},
    needs: { data: add(simulateCardiac(p, simRaters, simSeed, name)) },
  });
  const testSets: CardiacTestSet[] = [
    options.data !== undefined
      ? given(options.data, 'in-domain', 'test')
      : { ...drawn(phantoms.phantom, seed, raters, 'in-domain'), split: 'test' },
  ];
  let shiftedSeed: number | null = null;
  if (options.shiftedData !== undefined) testSets.push(given(options.shiftedData, 'shifted', null));
  else if (options.data === undefined) {
    shiftedSeed = seed + SHIFTED_SEED_OFFSET;
    testSets.push({ ...drawn(phantoms.shifted, shiftedSeed, ['expert'], 'shifted'), split: null });
  }
  return { testSets, shiftedSeed };
}

/** A cardiac study's plan as it is built: its jobs, the test sets and the evaluations for the aggregate job. */
export interface CardiacPlan {
  /** Every job added, in order. */
  jobs: Job[];
  /** Adds a job; returns it. */
  add(job: Job): Job;
  /** In-domain (also the training data), then shifted when there is one (`cardiacTestSets`). */
  testSets: CardiacTestSet[];
  /** The seed of the shifted phantom drawn, or null. */
  shiftedSeed: number | null;
  /**
   * Adds the train job of `spec` over the training data (`data`: its spec part and needs, default the in-domain
   * test set's) and its predict and evaluate (against the truth) jobs on every test set, tagged `tags` + the test
   * set; each evaluation becomes an entry of the aggregate job.
   */
  trainAndEvaluate(
    spec: Job['spec'],
    tags: Record<string, string | number>,
    data?: { spec: Job['spec']; needs: Record<string, Job> },
  ): void;
  /** Adds the aggregate job of every evaluation, with `metrics`. */
  aggregate(metrics: string[]): void;
}

/** A new plan with the simulate jobs of its test sets (`cardiacTestSets`'s arguments). */
export function cardiacPlan(
  phantoms: { phantom: CardiacPhantom; shifted: CardiacPhantom },
  raters: string[],
  seed: number,
  options: StudyPlanOptions,
): CardiacPlan {
  const jobs: Job[] = [];
  const add = (job: Job): Job => (jobs.push(job), job);
  const { testSets, shiftedSeed } = cardiacTestSets(phantoms, raters, seed, options, add);
  const entries: { role: string; tags: Record<string, string | number> }[] = [];
  const evaluations: Record<string, Job> = {};
  return {
    jobs,
    add,
    testSets,
    shiftedSeed,
    trainAndEvaluate(spec, tags, data = testSets[0]) {
      const trained = add(makeJob('train', { ...data.spec, ...spec }, data.needs, tags));
      for (const test of testSets) {
        const testTags = { ...tags, testSet: test.name };
        const on = { ...test.spec, split: test.split };
        const predicted = add(makeJob('predict', on, { ...test.needs, model: trained }, testTags));
        const against = { ...on, against: 'truth' };
        const evaluated = add(makeJob('evaluate', against, { ...test.needs, pred: predicted }, testTags));
        const role = `e${entries.length}`;
        entries.push({ role, tags: testTags });
        evaluations[role] = evaluated;
      }
    },
    aggregate(metrics) {
      add(makeJob('aggregate', { entries, metrics }, evaluations));
    },
  };
}
