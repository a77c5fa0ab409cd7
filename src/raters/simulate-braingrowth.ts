/**
 * `multirater simulate braingrowth`: a QUBIQ brain-growth-like dataset — 2D neonatal brain MRI slices (256×256,
 * 0.5 mm, T2-like; `phantom/brain/braingrowth-phantom.ts`), 39 cases (34 training, 5 test), the brain drawn by
 * the seven expert styles of `braingrowth-raters.ts` (their pixel lengths at the slice's pixel size). Written as a
 * QUBIQ source tree — `Training/caseNN/`, `Testing/caseNN/` and, when asked for, `Validation/caseNN/`, each with
 * `image.nii.gz` and `task01_segNN.nii.gz` (plus the phantom's `truth.nii.gz`) — and indexed by the QUBIQ importer
 * itself, so `dataset.json` is exactly what `dataset import --layout qubiq` writes (case ids `train-case01`, raters
 * seg01…seg07), plus the truth, the raters' true confusion matrices and their styles (`source.raterModels`).
 * Validation cases are numbered after the test cases, so asking for them leaves every other case unchanged.
 */
import { saveDataset } from '../datasets/index.ts';
import { loadQubiq } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { braingrowthPhantom } from '../phantom/index.ts';
import { Rng } from '../random/index.ts';
import type { RaterModel } from './apply-rater.ts';
import { braingrowthRaters } from './braingrowth-raters.ts';
import { confusionMatrix } from './confusion-matrix.ts';
import { DatasetWriter } from './dataset-writer.ts';
import { checkCount, splitCounts, type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';

/** Options of `simulateBraingrowthDataset` (`multirater simulate braingrowth`): output, seed, case counts per split. */
export interface SimulateBraingrowthOptions extends Pick<SimulateCommonOptions, 'out' | 'seed' | 'onProgress'> {
  /** Cases in total; default 39 (as QUBIQ brain growth). */
  cases?: number;
  /** Of these, test cases (after the training cases); default 5. */
  testCases?: number;
  /** Of these, validation cases (the last ones, after the test cases); default 0. */
  valCases?: number;
  /** Pixels per side; default 256. */
  size?: number;
}

/** Writes the brain-growth dataset; see the file comment. */
export function simulateBraingrowthDataset(options: SimulateBraingrowthOptions): SimulateResult {
  const total = options.cases ?? 39;
  const test = options.testCases ?? 5;
  const val = options.valCases ?? 0;
  const seed = options.seed ?? 1;
  checkCount('braingrowth', 'cases', total, 999);
  checkCount('braingrowth', 'test cases', test + 1, total);
  if (!Number.isInteger(val) || val < 0 || test + val >= total)
    throw new MultiraterError(
      'invalid_argument',
      `simulate braingrowth: validation cases must be an integer in 0…${total - test - 1} (${total} cases, ${test} test), got ${val}`,
    );
  checkCount('braingrowth', 'size', options.size ?? 256, 1024);
  const root = new Rng(seed);
  const writer = new DatasetWriter(options.out, [0, 1]);
  const truthOf = new Map<string, string>();
  let models: RaterModel[] = [];
  for (let c = 1; c <= total; c++) {
    const folder = c <= total - test - val ? 'Training' : c <= total - val ? 'Testing' : 'Validation';
    const name = `case${String(c).padStart(2, '0')}`;
    const dir = `${folder}/${name}`;
    const phantom = braingrowthPhantom({ seed: root.fork(`case:${name}`).nextUint32(), size: options.size });
    writer.write(`${dir}/image.nii.gz`, phantom.image);
    truthOf.set(name, writer.write(`${dir}/truth.nii.gz`, phantom.labels));
    // Every case has the same grid, so the same styles in mm.
    models = braingrowthRaters(phantom.labels.spacing[0]);
    for (const model of models)
      writer.annotate(`${dir}/task01_${model.name}.nii.gz`, model, phantom.labels, phantom.image, {
        root,
        caseId: name,
      });
    options.onProgress?.(c, total);
  }
  const indexed = loadQubiq(options.out, { task: 1, name: 'phantom-braingrowth' });
  const counts = writer.countsByRater();
  const datasetFile = saveDataset(options.out, {
    ...indexed,
    cases: indexed.cases.map((c) => ({ ...c, truth: truthOf.get(c.meta.subject as string) })),
    description:
      'Synthetic neonatal brain MRI slices (QUBIQ brain-growth-like): the brain drawn by seven experts with their own styles (boundary offset, smoothness, sulci).',
    confusionMatrices: Object.fromEntries(indexed.raters.map((r) => [r, confusionMatrix(counts[r])])),
    source: {
      ...indexed.source,
      path: '.',
      generator: 'multirater simulate braingrowth',
      seed,
      cases: total,
      testCases: test,
      ...(val > 0 ? { valCases: val } : {}),
      raterModels: Object.fromEntries(models.map((m) => [m.name, m])),
    },
  });
  return {
    datasetFile,
    subjects: total,
    cases: indexed.cases.length,
    raters: indexed.raters,
    splits: splitCounts(indexed.cases.map((c) => c.meta.split as string)),
  };
}
