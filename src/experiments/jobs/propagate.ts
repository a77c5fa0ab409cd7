/**
 * `propagate`: carries a dataset's ED (and ES) labels to every cine frame (`registration/propagateLabels`) into the
 * job folder's `data/` (rater `propagated`) and writes every frame's record (field quality, Dice against the
 * phantom's cine truth, seconds) to `frames.json`. Spec: `method` (identity | demons | learned | elastix), `labels`,
 * `fromEs`, `dims`, `demons` settings, `splits`, `maxSubjects`; `learned` needs a `model` (a register job).
 * `elastix` runs Debian's elastix through `scripts/peers/elastix-pairs.sh` slice by slice; where elastix is not
 * installed the job finishes without a dataset (`available: false` and the reason), so a study's plan is the same on
 * every machine and its report leaves elastix out.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { DemonsOptions } from '../../registration/index.ts';
import type { DisplacementField } from '../../registration/index.ts';
import type { PropagateOptions } from '../../registration/index.ts';
import { writeFileAtomic } from '../../io/index.ts';
import { extractSlice } from '../../volume/index.ts';
import { createVolume, type Volume } from '../../volume/index.ts';
import type { JobDone } from '../job.ts';
import { datasetInput, defineJobKind, needPath, splitSpec } from '../job-kind.ts';
import { elastixPeer, elastixRegisterPairs, elastixVersion } from '../peer-programs.ts';

/** The propagate job's per-frame records in its folder (field quality, Dice, seconds), JSON. */
export const FRAMES_FILE = 'frames.json';

/** The spec of a propagate job (`demons`: our demons' settings, checked by demons). */
const propagateSpec = z.looseObject({
  method: z.enum(['identity', 'demons', 'learned', 'elastix']),
  labels: z.string().optional(),
  fromEs: z.boolean().optional(),
  dims: z.union([z.literal(2), z.literal(3)]).optional(),
  interpolation: z.enum(['linear', 'nearest']).optional(),
  demons: z
    .custom<DemonsOptions>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      'expected an object of demons settings',
    )
    .optional(),
  splits: z.array(splitSpec).optional(),
  maxSubjects: z.number().int().positive().optional(),
});

/** Float32 copy of slice k of a 3D volume. */
function floatSlice(v: Volume, k: number): Volume {
  const s = extractSlice(v, { index: k });
  return createVolume(s.shape, Float32Array.from(s.data), { spacing: s.spacing, affine: s.affine });
}

/** elastix on every slice of every frame pair (one script call per subject), stacked into 3D fields. */
function elastixFrames(script: string): NonNullable<PropagateOptions['registerWith']> {
  return {
    name: 'elastix (B-spline, scripts/peers/elastix-bspline.txt)',
    async registerFrames(pairs) {
      const { stackSliceFields } = await import('../../registration/index.ts');
      const slices = pairs.flatMap((p) =>
        Array.from({ length: p.fixed.shape[2] ?? 1 }, (_, k) => ({
          fixed: floatSlice(p.fixed, k),
          moving: floatSlice(p.moving, k),
        })),
      );
      const { fields } = elastixRegisterPairs(script, slices);
      const out: DisplacementField[] = [];
      let next = 0;
      for (const p of pairs) {
        const nz = p.fixed.shape[2] ?? 1;
        out.push(stackSliceFields(fields.slice(next, next + nz), p.fixed));
        next += nz;
      }
      return out;
    },
  };
}

/** The `propagate` job kind (see the file comment); elastix where absent gives `available: false`, not a failure. */
export const propagateJob = defineJobKind({
  kind: 'propagate',
  resumable: false,
  spec: propagateSpec,
  describe: (s) => {
    return `${s.method} from ${s.labels ?? 'first rater'}${s.fromEs ? ' (ED and ES)' : ' (ED)'}${s.splits ? `, splits ${s.splits.join('/')}` : ''}${s.maxSubjects ? `, ${s.maxSubjects} subjects` : ''}`;
  },
  async run({ method, ...spec }, job, context): Promise<JobDone['result']> {
    const { propagateLabels } = await import('../../registration/index.ts');
    const options: PropagateOptions = { ...spec, method: method === 'elastix' ? 'identity' : method };
    let peer: string | null = null;
    if (method === 'elastix') {
      const status = elastixPeer();
      if (!('binary' in status)) {
        context.log(`elastix not available: ${status.reason}`);
        return { available: false, reason: status.reason };
      }
      options.registerWith = elastixFrames(status.binary);
      peer = elastixVersion();
    }
    if (method === 'learned') {
      const { loadRegistrationModel } = await import('../../registration/index.ts');
      options.model = await loadRegistrationModel(needPath(job, context, 'model', 'model'), context.threads);
    }
    const result = await propagateLabels(datasetInput(job, context), join(context.dir, 'data'), {
      ...options,
      onFrame: (_, done, total) => context.progress(Math.min(1, done / Math.max(1, total))),
    });
    writeFileAtomic(join(context.dir, FRAMES_FILE), JSON.stringify(result.frames) + '\n');
    return {
      available: true,
      dataset: 'data',
      frames: FRAMES_FILE,
      subjects: result.subjects,
      cases: result.cases,
      peer,
    };
  },
});
