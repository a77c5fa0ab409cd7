/** `simulate`: writes a phantom dataset (`raters/` simulators) into the job folder's `data/`. */
import { join } from 'node:path';
import { MultiraterError } from '../../errors.ts';
import type { CardiacVendor } from '../../phantom/cardiac/cardiac-vendors.ts';
import type { JobKind } from '../job-kind.ts';

export const simulateJob: JobKind = {
  kind: 'simulate',
  resumable: false,
  describe: (job) => {
    const s = job.spec;
    return `${String(s.phantom)} ${String(s.subjects)} subjects ${String(s.size)} px, vendors ${[s.vendors ?? 'A–D'].flat().join('')}, seed ${String(s.seed)}`;
  },
  async run(job, context) {
    const s = job.spec;
    if (s.phantom !== 'cardiac') throw new MultiraterError('invalid_argument', `job ${job.key}: unknown phantom "${String(s.phantom)}" (expected cardiac)`);
    const { simulateCardiacDataset } = await import('../../raters/simulate-cardiac.ts');
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
