/**
 * `multirater simulate cardiac`: N phantom subjects (groups NOR, DCM, HCM, MINF, ARV in turn; vendors in turn per
 * block of five), each written as its 4D cine image and truth plus one case per ED and ES frame with the 3D image,
 * the truth and every rater's annotation. Subject i's phantom and each (rater, case) annotation draw from their own
 * forks of the seed, so adding subjects or raters leaves the others' bytes unchanged. Splits by subject, stratified
 * by group.
 */
import { CARDIAC_GROUPS } from '../phantom/cardiac/cardiac-groups.ts';
import { cardiacPhantom } from '../phantom/cardiac/cardiac-phantom.ts';
import { extractFrame } from '../volume/slice.ts';
import { CARDIAC_VENDORS, type CardiacVendor } from '../phantom/cardiac/cardiac-vendors.ts';
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/rng.ts';
import { applyRater } from './apply-rater.ts';
import { assignSplits, DatasetWriter, padded } from './dataset-writer.ts';
import { CARDIAC_REGIONS } from './label-regions.ts';
import { CARDIAC_RATERS } from './rater-models.ts';
import { checkCount, resolveRaters, splitCounts, type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';

export interface SimulateCardiacOptions extends SimulateCommonOptions {
  /** Number of subjects; default 20. */
  subjects?: number;
  /** Vendors to cycle through; default A, B, C, D. */
  vendors?: CardiacVendor[];
  /** Frames per cycle; default 12. */
  frames?: number;
  /** In-plane matrix size; default 96. */
  size?: number;
}

export const CARDIAC_DEFAULT_RATERS = ['expert', 'nonexpert1', 'nonexpert2'];

/** Writes the cardiac dataset; see the file comment. */
export function simulateCardiacDataset(options: SimulateCardiacOptions): SimulateResult {
  const subjects = options.subjects ?? 20;
  const seed = options.seed ?? 1;
  const vendors = options.vendors ?? [...CARDIAC_VENDORS];
  const frames = options.frames ?? 12;
  checkCount('cardiac', 'subjects', subjects, 9999);
  checkCount('cardiac', 'frames', frames, 64);
  if (frames < 2) throw new MultiraterError('invalid_argument', `simulate cardiac: frames must be ≥ 2 (ED and ES), got ${frames}`);
  const badVendor = vendors.find((v) => !CARDIAC_VENDORS.includes(v));
  if (badVendor !== undefined || vendors.length === 0) throw new MultiraterError('invalid_argument', `simulate cardiac: vendors must be among A, B, C, D, got ${vendors.join(',') || '(none)'}`);
  const models = resolveRaters('cardiac', CARDIAC_RATERS, options.raters ?? CARDIAC_DEFAULT_RATERS, options.experts ?? 0, CARDIAC_REGIONS);
  const root = new Rng(seed);
  const ids = Array.from({ length: subjects }, (_, s) => `subject${padded(s + 1, subjects)}`);
  const groups = ids.map((_, s) => CARDIAC_GROUPS[s % CARDIAC_GROUPS.length]);
  const splits = assignSplits(ids, groups, seed);
  const writer = new DatasetWriter(options.out, [0, 1, 2, 3]);
  ids.forEach((id, s) => {
    const group = groups[s];
    const vendor = vendors[Math.floor(s / CARDIAC_GROUPS.length) % vendors.length];
    const phantom = cardiacPhantom({ group, vendor, frames, size: options.size, seed: root.fork(`subject:${id}`).nextUint32() });
    const image4d = phantom.image!;
    const cine = writer.write(`cine/${id}.nii.gz`, image4d, 1);
    const cineTruth = writer.write(`cine/${id}_truth.nii.gz`, phantom.labels, 1);
    for (const [frame, index] of [['ED', phantom.edFrame], ['ES', phantom.esFrame]] as const) {
      const caseId = `${id}_${frame}`;
      const image = extractFrame(image4d, index);
      const truth = extractFrame(phantom.labels, index);
      const raters: Record<string, string> = {};
      for (const model of models) {
        const annotation = applyRater(truth, image, model, root.fork(`rater:${model.name}:${caseId}`).nextUint32());
        raters[model.name] = writer.write(`raters/${model.name}/${caseId}.nii.gz`, annotation);
        writer.count(model.name, truth, annotation);
      }
      writer.cases.push({
        id: caseId,
        image: writer.write(`images/${caseId}.nii.gz`, image, 1),
        truth: writer.write(`truth/${caseId}.nii.gz`, truth),
        raters,
        meta: {
          subject: id,
          frame,
          frameIndex: index,
          edFrame: phantom.edFrame,
          esFrame: phantom.esFrame,
          frames,
          group,
          vendor,
          split: splits.get(id),
          cine,
          cineTruth,
          sliceThicknessMm: Math.round(phantom.sliceMm * 1000) / 1000,
        },
      });
    }
    options.onProgress?.(s + 1, subjects);
  });
  const raterNames = models.map((m) => m.name);
  const datasetFile = writer.finish({
    name: 'phantom-cardiac',
    description: 'Synthetic short-axis cine MRI (multirater cardiac phantom): ACDC groups, vendors A–D, ED/ES cases with truth, simulated raters, 4D cine per subject in meta.cine.',
    labels: { '1': 'RV', '2': 'MYO', '3': 'LV' },
    raters: raterNames,
    source: {
      generator: 'multirater simulate cardiac',
      seed,
      subjects,
      vendors,
      frames,
      size: options.size ?? 96,
      raterModels: Object.fromEntries(models.map((m) => [m.name, m])),
    },
  });
  return { datasetFile, subjects, cases: writer.cases.length, raters: raterNames, splits: splitCounts(ids.map((id) => splits.get(id)!).flatMap((s) => [s, s])) };
}
