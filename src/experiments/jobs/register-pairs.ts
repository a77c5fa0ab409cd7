/**
 * `register-pairs`: the propagation-accuracy check of issue 13 — on the mid-ventricular slices (middle third of the
 * ED truth's extent, `metrics/slice-position`) of every subject of the needed dataset's `split`, the ED frame is
 * registered onto the ES frame one slice pair at a time and the ED truth warped there (one-hot linear, then argmax)
 * is scored against the ES truth per structure (Dice), for each method of the spec: identity (ED labels copied),
 * our demons, learned models (needs `model:<name>`), and, when `peers` is set and they are available here, ITK's
 * DiffeomorphicDemonsRegistrationFilter with the same settings (`scripts/peers/itk-demons.cxx`) and elastix
 * (B-spline, `scripts/peers/elastix-pairs.sh`). Writes `pairs.json`: one record per (slice pair, method) with the
 * Dice, the folding fraction and the wall / CPU seconds of the registration call (ITK: in-filter; elastix: the whole
 * program, start-up included, per pair).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/index.ts';
import { readLabelMap, readVolume } from '../../io/index.ts';
import type { DemonsOptions } from '../../registration/index.ts';
import type { DisplacementField } from '../../registration/index.ts';
import { extractFrame, extractSlice } from '../../volume/index.ts';
import { createVolume, type Volume } from '../../volume/index.ts';
import type { JobDone } from '../job.ts';
import { datasetInput, defineJobKind, needPath, splitSpec } from '../job-kind.ts';
import { elastixPeer, elastixRegisterPairs, elastixVersion, itkDemons, itkPeer } from '../peer-programs.ts';

/** The register-pairs job's output in its folder: a JSON array of `PairRecord`. */
export const PAIRS_FILE = 'pairs.json';

/** The spec of a register-pairs job. */
const registerPairsSpec = z.looseObject({
  /** Subjects of this split (null: every subject). */
  split: splitSpec.nullable(),
  /** Our demons' settings (ITK's peer gets the same iterations and σ). */
  demons: z.looseObject({ iterations: z.number().int().nonnegative(), standardDeviation: z.number().positive() }),
  /** Learned models by name, each a need `model:<name>`. */
  learned: z.array(z.string()),
  /** Also run ITK's demons and elastix when available. */
  peers: z.boolean(),
});

/** One registered slice pair by one method. */
export interface PairRecord {
  /** Subject id of the ED/ES pair. */
  subject: string;
  /** The ED case's `meta.vendor`; null when it has none. */
  vendor: string | null;
  /** 0-based index of the mid-ventricular slice along the volume's third axis. */
  slice: number;
  /** `identity`, `demons`, `itk-demons`, `elastix`, or the learned model's name. */
  method: string;
  /** Structure name → Dice of the warped ED truth against the ES truth (null: absent in both). */
  dice: Record<string, number | null>;
  /** Fraction (0–1) of the field's pixels whose Jacobian determinant is ≤ 0. */
  foldingFraction: number;
  /** Wall seconds of the registration call (0 for identity; ITK: in-filter; elastix: its run's share per pair). */
  seconds: number;
  /** CPU seconds (user + system) of the call; elastix: its wall share per pair, as its CPU time is not measured. */
  cpuSeconds: number;
}

function floatSlice(v: Volume, k: number): Volume {
  const s = extractSlice(v, { index: k });
  return createVolume(s.shape, Float32Array.from(s.data), { spacing: s.spacing, affine: s.affine });
}

async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** The `register-pairs` job kind (see the file comment); peers absent here are recorded as unavailable, not failed. */
export const registerPairsJob = defineJobKind({
  kind: 'register-pairs',
  resumable: false,
  spec: registerPairsSpec,
  describe: (s) => {
    return `ED→ES mid-ventricular slices, split ${s.split ?? 'all'}: identity, demons ${s.demons.iterations} it σ ${s.demons.standardDeviation}${s.learned.map((l) => `, ${l}`).join('')}${s.peers ? ', peers when available' : ''}`;
  },
  async run(spec, job, context): Promise<JobDone['result']> {
    const { loadCineSubjects } = await import('../../registration/index.ts');
    const { demons } = await import('../../registration/index.ts');
    const { zeroField } = await import('../../registration/index.ts');
    const { fieldQuality } = await import('../../registration/index.ts');
    const { labelDice } = await import('../../registration/index.ts');
    const { loadRegistrationModel, registerLearned } = await import('../../registration/index.ts');
    const { warpLabels } = await import('../../registration/index.ts');
    const { slicePositions } = await import('../../metrics/index.ts');
    const { loaded, subjects } = await loadCineSubjects(
      datasetInput(job, context),
      spec.split === null ? undefined : [spec.split],
    );
    const names = loaded.dataset.labels;
    const models = await Promise.all(
      spec.learned.map(async (name) => ({
        name,
        model: await loadRegistrationModel(needPath(job, context, `model:${name}`, 'model'), context.threads),
      })),
    );
    const itk = spec.peers ? itkPeer('itk-demons') : { available: false as const, reason: 'peers off' };
    const elastix = spec.peers ? elastixPeer() : { available: false as const, reason: 'peers off' };
    let itkVersion: string | null = null;
    const records: PairRecord[] = [];
    const withTruth = subjects.filter((s) => s.cineTruthPath !== null);
    for (const [n, s] of withTruth.entries()) {
      const ed = s.frames.find((f) => f.case.meta.frame === 'ED');
      const es = s.frames.find((f) => f.case.meta.frame === 'ES');
      if (!ed || !es) continue;
      const cine = readVolume(s.cinePath);
      const truth = readLabelMap(s.cineTruthPath as string, { maxDims: 4 });
      const [edImage, esImage] = [extractFrame(cine, ed.frameIndex), extractFrame(cine, es.frameIndex)];
      const [edTruth, esTruth] = [extractFrame(truth, ed.frameIndex), extractFrame(truth, es.frameIndex)];
      const mid = slicePositions(edTruth).flatMap((p, k) => (p === 'mid' ? [k] : []));
      const pairs = mid.map((k) => ({
        k,
        fixed: floatSlice(esImage, k),
        moving: floatSlice(edImage, k),
        labels: extractSlice(edTruth, { index: k }),
        target: extractSlice(esTruth, { index: k }),
      }));
      const record = (
        p: (typeof pairs)[number],
        method: string,
        field: DisplacementField,
        seconds: number,
        cpuSeconds: number,
      ): void => {
        const warped = warpLabels(p.labels, field);
        const dice = Object.fromEntries(
          Object.entries(names).map(([v, name]) => [name, labelDice(warped.data, p.target.data, Number(v))]),
        );
        records.push({
          subject: s.id,
          vendor: ed.case.meta.vendor ?? null,
          slice: p.k,
          method,
          dice,
          foldingFraction: fieldQuality(field).foldingFraction,
          seconds,
          cpuSeconds,
        });
      };
      for (const p of pairs) {
        record(p, 'identity', zeroField(p.fixed), 0, 0);
        const ours = await timed(() => demons(p.fixed, p.moving, spec.demons).field);
        record(p, 'demons', ours.value, ours.seconds, ours.cpuSeconds);
        if ('binary' in itk) {
          const r = itkDemons(itk.binary, p.fixed, p.moving, {
            iterations: spec.demons.iterations,
            sigma: spec.demons.standardDeviation,
          });
          itkVersion = r.version;
          record(p, 'itk-demons', r.field, r.seconds, r.cpuSeconds);
        }
        for (const { name, model } of models) {
          const r = await timed(() => registerLearned(model, p.fixed, p.moving));
          record(p, name, r.value, r.seconds, r.cpuSeconds);
        }
      }
      if ('binary' in elastix && pairs.length > 0) {
        const r = elastixRegisterPairs(elastix.binary, pairs);
        pairs.forEach((p, i) => record(p, 'elastix', r.fields[i], r.seconds / pairs.length, r.seconds / pairs.length));
      }
      context.progress((n + 1) / withTruth.length);
    }
    for (const { model } of models) await model.session.release();
    writeFileAtomic(join(context.dir, PAIRS_FILE), JSON.stringify(records) + '\n');
    return {
      pairs: PAIRS_FILE,
      records: records.length,
      itk: 'binary' in itk ? { available: true, version: itkVersion } : { available: false, reason: itk.reason },
      elastix:
        'binary' in elastix
          ? { available: true, version: elastixVersion() }
          : { available: false, reason: elastix.reason },
    };
  },
});
