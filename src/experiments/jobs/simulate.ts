/** `simulate`: writes a phantom dataset (`raters/` simulators: cardiac, mnist, headneck, braingrowth) into the job folder's `data/`. */
import { join } from 'node:path';
import { MultiraterError } from '../../errors.ts';
import type { CardiacVendor } from '../../phantom/index.ts';
import type { JobKind } from '../job-kind.ts';

export const simulateJob: JobKind = {
  kind: 'simulate',
  resumable: false,
  describe: (job) => {
    const s = job.spec;
    if (s.phantom === 'mnist') return `mnist ${String(s.count)} digits${s.annotators === 'harsh' ? ', harsh annotators' : ''}, seed ${String(s.seed)}`;
    if (s.phantom === 'headneck') {
      const grid = Array.isArray(s.shape) ? s.shape.join('×') : String(s.geometry ?? 'default');
      return `headneck ${String(s.subjects)} subjects ${grid}, ${[s.noisyRatios ?? []].flat().length} noisy ratios × ${String(s.draws ?? 1)} draws, seed ${String(s.seed)}`;
    }
    if (s.phantom === 'braingrowth') return `braingrowth ${String(s.cases ?? 39)} cases (${String(s.testCases ?? 5)} test) ${String(s.size ?? 256)} px, seed ${String(s.seed)}`;
    return `${String(s.phantom)} ${String(s.subjects)} subjects ${String(s.size)} px, vendors ${[s.vendors ?? 'A–D'].flat().join('')}, seed ${String(s.seed)}`;
  },
  async run(job, context) {
    const s = job.spec;
    if (s.phantom === 'mnist') {
      const { simulateMnistDataset } = await import('../../raters/index.ts');
      const result = simulateMnistDataset({
        out: join(context.dir, 'data'),
        count: s.count as number,
        raters: s.raters as string[] | undefined,
        annotators: (s.annotators ?? undefined) as 'morpho' | 'harsh' | undefined,
        seed: s.seed as number,
        onProgress: (done, total) => context.progress(done / total),
      });
      return { dataset: 'data', cases: result.cases, splits: result.splits };
    }
    if (s.phantom === 'headneck') {
      const { simulateHeadneckDataset } = await import('../../raters/index.ts');
      const result = simulateHeadneckDataset({
        out: join(context.dir, 'data'),
        subjects: s.subjects as number,
        geometry: (s.geometry ?? undefined) as 'default' | 'seed' | undefined,
        shape: (s.shape ?? undefined) as [number, number, number] | undefined,
        spacing: (s.spacing ?? undefined) as [number, number, number] | undefined,
        splits: (s.splits ?? undefined) as { train: number; val: number; test: number } | undefined,
        noisyRatios: s.noisyRatios as number[],
        draws: s.draws as number,
        seed: s.seed as number,
        onProgress: (done, total) => context.progress(done / total),
      });
      return { dataset: 'data', cases: result.cases, splits: result.splits };
    }
    if (s.phantom === 'braingrowth') {
      const { simulateBraingrowthDataset } = await import('../../raters/index.ts');
      const result = simulateBraingrowthDataset({
        out: join(context.dir, 'data'),
        cases: s.cases as number | undefined,
        testCases: s.testCases as number | undefined,
        size: s.size as number | undefined,
        seed: s.seed as number,
        onProgress: (done, total) => context.progress(done / total),
      });
      return { dataset: 'data', cases: result.cases, splits: result.splits };
    }
    if (s.phantom !== 'cardiac') throw new MultiraterError('invalid_argument', `job ${job.key}: unknown phantom "${String(s.phantom)}" (expected cardiac, mnist, headneck or braingrowth)`);
    const { simulateCardiacDataset } = await import('../../raters/index.ts');
    const result = await simulateCardiacDataset({
      out: join(context.dir, 'data'),
      subjects: s.subjects as number,
      size: s.size as number,
      vendors: s.vendors as CardiacVendor[],
      frames: s.frames as number | undefined,
      raters: s.raters as string[],
      seed: s.seed as number,
      workers: 0,
      onProgress: (done, total) => context.progress(done / total),
    });
    return { dataset: 'data', cases: result.cases, splits: result.splits };
  },
};
