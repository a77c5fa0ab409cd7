import { describe, expect, it } from 'vitest';
import { PRESET_NAMES } from '../study.ts';
import { planExpertAdaptation, plannedSettings } from './expert-adaptation.ts';

describe('the expert-adaptation plan', () => {
  it.each(PRESET_NAMES)(
    '%s: the scratch baseline trains as many iterations as pre-training + fine-tuning',
    (preset) => {
      const plan = planExpertAdaptation(preset);
      const s = plannedSettings.parse(plan.settings);
      const base = plan.jobs.filter((j) => j.kind === 'train' && j.tags.method === undefined);
      const tuned = plan.jobs.filter((j) => j.kind === 'finetune');
      const scratch = plan.jobs.filter((j) => j.kind === 'train' && j.tags.method === 'scratch');
      expect(scratch.length).toBeGreaterThan(0);
      // Every fine-tuned model's compute: its base model's iterations, then its own.
      const computes = new Set(
        tuned.map((f) => {
          const from = base.find((b) => b.key === f.needs.model)!;
          return (from.spec.iterations as number) + (f.spec.iterations as number);
        }),
      );
      expect([...computes]).toEqual([s.train.iterations + s.finetune.iterations]);
      expect(s.scratchIterations).toBe(s.train.iterations + s.finetune.iterations);
      for (const j of scratch) expect(j.spec.iterations).toBe(s.scratchIterations);
    },
  );

  it('trains a second scratch arm on the same images to convergence on validation images of the new expert', () => {
    const plan = planExpertAdaptation('default');
    const s = plannedSettings.parse(plan.settings);
    const arm = (method: string) =>
      plan.jobs
        .filter((j) => j.kind === 'train' && j.tags.method === method)
        .map((j) => [j.tags.n, j.tags.way, j.spec.labelSource, j.spec.images]);
    expect(arm('scratch-converged')).toEqual(arm('scratch'));
    expect(arm('scratch')).toHaveLength(s.samples.length * s.runWays.length);
    const converged = plan.jobs.find((j) => j.kind === 'train' && j.tags.method === 'scratch-converged')!;
    expect(converged.spec).toMatchObject({
      labelSource: 'seg06',
      iterations: 1500,
      validateEvery: 50,
      earlyStoppingPatience: 5,
      selectBy: 'dice',
    });
    // The phantom holds 4 validation cases apart from the 34 training and 5 test images.
    const simulate = plan.jobs.find((j) => j.kind === 'simulate')!;
    expect(simulate.spec).toMatchObject({ cases: 43, testCases: 5, valCases: 4 });
    expect(s.trainingImages).toBe(34);
    // Each arm is predicted and evaluated on the test images against the new expert.
    const evaluated = plan.jobs.filter((j) => j.kind === 'evaluate' && j.tags.method === 'scratch-converged');
    expect(evaluated).toHaveLength(arm('scratch').length);
    expect(evaluated.every((j) => j.spec.split === 'test' && j.spec.against === 'seg06')).toBe(true);
  });
});
