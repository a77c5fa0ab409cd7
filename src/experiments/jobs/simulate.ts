/** `simulate`: writes a phantom dataset (`raters/` simulators: cardiac, mnist, headneck, braingrowth) into the job folder's `data/`. */
import { join } from 'node:path';
import { z } from 'zod';
import type { CardiacVendor } from '../../phantom/index.ts';
import type { SimulateCommonOptions, SimulateResult } from '../../raters/index.ts';
import { defineJobKind } from '../job-kind.ts';

const vendor: z.ZodType<CardiacVendor> = z.enum(['A', 'B', 'C', 'D']);
const triple = z.tuple([z.number(), z.number(), z.number()]);

/** The phantom a spec names, quoted, for the error. */
const phantomOf = (spec: unknown): string =>
  typeof spec === 'object' && spec !== null && 'phantom' in spec ? JSON.stringify(spec.phantom) : 'none';

/** A phantom's spec: its name, its simulator's settings (absent or null: the simulator's default) and its seed. */
const phantomSpec = <P extends string, S extends z.ZodRawShape>(phantom: P, settings: S) =>
  z.looseObject({ phantom: z.literal(phantom), ...settings, seed: z.number() });

const simulateSpec = z.discriminatedUnion(
  'phantom',
  [
    phantomSpec('mnist', {
      count: z.number().optional(),
      raters: z.array(z.string()).optional(),
      annotators: z.enum(['morpho', 'harsh']).nullish(),
    }),
    phantomSpec('headneck', {
      subjects: z.number().optional(),
      geometry: z.enum(['default', 'seed']).nullish(),
      shape: triple.nullish(),
      spacing: triple.nullish(),
      splits: z.object({ train: z.number(), val: z.number(), test: z.number() }).nullish(),
      noisyRatios: z.array(z.number()).optional(),
      draws: z.number().optional(),
    }),
    phantomSpec('braingrowth', {
      cases: z.number().optional(),
      testCases: z.number().optional(),
      valCases: z.number().optional(),
      size: z.number().optional(),
    }),
    phantomSpec('cardiac', {
      subjects: z.number().optional(),
      size: z.number().optional(),
      vendors: z.array(vendor).optional(),
      frames: z.number().optional(),
      raters: z.array(z.string()).optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown phantom ${phantomOf(issue.input)} (expected cardiac, mnist, headneck or braingrowth)`
        : undefined,
  },
);

/**
 * The `simulate` job kind (see the file comment); its result names `dataset` (data/) and gives `cases` and `splits`.
 */
export const simulateJob = defineJobKind({
  kind: 'simulate',
  resumable: false,
  spec: simulateSpec,
  describe: (s) => {
    if (s.phantom === 'mnist')
      return `mnist ${String(s.count)} digits${s.annotators === 'harsh' ? ', harsh annotators' : ''}, seed ${s.seed}`;
    if (s.phantom === 'headneck') {
      const grid = s.shape ? s.shape.join('×') : (s.geometry ?? 'default');
      return `headneck ${String(s.subjects)} subjects ${grid}, ${(s.noisyRatios ?? []).length} noisy ratios × ${s.draws ?? 1} draws, seed ${s.seed}`;
    }
    if (s.phantom === 'braingrowth')
      return `braingrowth ${s.cases ?? 39} cases (${s.testCases ?? 5} test, ${s.valCases ?? 0} validation) ${s.size ?? 256} px, seed ${s.seed}`;
    return `${s.phantom} ${String(s.subjects)} subjects ${String(s.size)} px, vendors ${(s.vendors ?? ['A–D']).join('')}, seed ${s.seed}`;
  },
  async run(s, _job, context) {
    const result = await simulatePhantom(s, {
      out: join(context.dir, 'data'),
      seed: s.seed,
      onProgress: (done, total) => context.progress(done / total),
    });
    return { dataset: 'data', cases: result.cases, splits: result.splits };
  },
});

/** The dataset of the spec's phantom, simulated with the settings every phantom takes (`common`). */
async function simulatePhantom(
  s: z.infer<typeof simulateSpec>,
  common: SimulateCommonOptions,
): Promise<SimulateResult> {
  const raters = await import('../../raters/index.ts');
  switch (s.phantom) {
    case 'mnist':
      return raters.simulateMnistDataset({
        ...common,
        count: s.count,
        raters: s.raters,
        annotators: s.annotators ?? undefined,
      });
    case 'headneck':
      return raters.simulateHeadneckDataset({
        ...common,
        subjects: s.subjects,
        geometry: s.geometry ?? undefined,
        shape: s.shape ?? undefined,
        spacing: s.spacing ?? undefined,
        splits: s.splits ?? undefined,
        noisyRatios: s.noisyRatios,
        draws: s.draws,
      });
    case 'braingrowth':
      return raters.simulateBraingrowthDataset({
        ...common,
        cases: s.cases,
        testCases: s.testCases,
        valCases: s.valCases,
        size: s.size,
      });
    case 'cardiac':
      return raters.simulateCardiacDataset({
        ...common,
        subjects: s.subjects,
        size: s.size,
        vendors: s.vendors,
        frames: s.frames,
        raters: s.raters,
        workers: 0,
      });
  }
}
