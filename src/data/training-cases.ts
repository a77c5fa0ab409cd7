/**
 * Training pairs from a dataset: each case's image with the label map of one label source.
 * A label source is `'truth'` (the case's `truth` path) or a rater id listed in `dataset.raters`; fused label maps
 * enter a dataset as raters (`multirater fuse --data` adds `fused-<method>`), so they are chosen by their rater id.
 * Data contract: every selected case MUST have an `image` and a label map for the source, on the image's grid.
 * Images become float32, labels uint8 (values 0–255), both at most 3D.
 */
import type { Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { resolveCasePath, DATASET_FILE, type Case, type CaseMeta, type LoadedDataset } from '../datasets/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';

/** The label source that selects every case's images' labels: `'truth'` or a rater id (fused raters included). */
export type LabelSource = string;

/** The value of a case's `meta.split`. */

/** One image with its label map on the same grid. */
export interface TrainingCase {
  /** The case id from dataset.json. */
  id: string;
  /** Image intensities on the case's grid. */
  image: Volume<Float32Array>;
  /** Label map (0 = background) on the image's grid. */
  label: Volume<Uint8Array>;
  /** The case's metadata from dataset.json. */
  meta: CaseMeta;
}

/** Options of `loadTrainingCases`: the label source and which cases to read. */
export interface LoadTrainingCasesOptions {
  /** `'truth'` or a rater id listed in the dataset's `raters` (e.g. `expert`, `fused-staple`). */
  labelSource: LabelSource;
  /** Keep only cases whose `meta.split` is one of these; default: every case. */
  splits?: readonly Split[];
  /** Keep only these case ids (after the split filter; an id outside the selected splits is refused); default: every case. */
  caseIds?: readonly string[];
}

/** Reads the (image, label) pairs of the cases selected by split and id, in dataset order. */
export function loadTrainingCases(loaded: LoadedDataset, options: LoadTrainingCasesOptions): TrainingCase[] {
  const { dataset } = loaded;
  const file = datasetFile(loaded);
  if (options.labelSource !== 'truth' && !dataset.raters.includes(options.labelSource)) {
    throw new MultiraterError(
      'invalid_argument',
      `${file}: label source "${options.labelSource}" is neither "truth" nor a listed rater (${dataset.raters.join(', ') || 'none'})`,
    );
  }
  let cases = dataset.cases;
  if (options.splits) {
    const splits = new Set<string>(options.splits);
    cases = cases.filter((c) => c.meta.split !== undefined && splits.has(c.meta.split));
  }
  if (options.caseIds) {
    const known = new Set(dataset.cases.map((c) => c.id));
    const missing = options.caseIds.filter((id) => !known.has(id));
    if (missing.length > 0)
      throw new MultiraterError(
        'invalid_argument',
        `${file}: no case with id ${missing.map((m) => `"${m}"`).join(', ')}`,
      );
    const selected = new Set(cases.map((c) => c.id));
    const outside = options.caseIds.filter((id) => !selected.has(id));
    if (outside.length > 0) {
      const splitOf = new Map(dataset.cases.map((c) => [c.id, c.meta.split ?? 'none']));
      const where = outside
        .map((id) => `"${id}" (${splitOf.get(id) === 'none' ? 'no split' : `split ${splitOf.get(id)}`})`)
        .join(', ');
      throw new MultiraterError(
        'invalid_argument',
        `${file}: cases are taken from split ${options.splits?.join('/')}, and these are not in it: ${where}`,
      );
    }
    const ids = new Set(options.caseIds);
    cases = cases.filter((c) => ids.has(c.id));
  }
  if (cases.length === 0) {
    const where = options.splits ? ` in split ${options.splits.join('/')}` : '';
    throw new MultiraterError('invalid_argument', `${file}: no cases${where} to train on`);
  }
  return cases.map((c) => loadTrainingCase(loaded, c, options.labelSource));
}

/** Reads one case's image and its label map from `labelSource`, checking that both share a grid. */
export function loadTrainingCase(loaded: LoadedDataset, c: Case, labelSource: LabelSource): TrainingCase {
  const file = datasetFile(loaded);
  if (!c.image) throw new MultiraterError('missing_label', `${file}: case "${c.id}" has no image`);
  const labelPath = labelSource === 'truth' ? c.truth : c.raters[labelSource];
  if (!labelPath) {
    const has = [...(c.truth ? ['truth'] : []), ...Object.keys(c.raters)];
    throw new MultiraterError(
      'missing_label',
      `${file}: case "${c.id}" has no label map for "${labelSource}" (it has: ${has.join(', ') || 'none'})`,
    );
  }
  const imagePath = resolveCasePath(loaded.root, c.image);
  const labelFile = resolveCasePath(loaded.root, labelPath);
  const image = readVolume(imagePath, { maxDims: 3 });
  const label = readLabelMap(labelFile);
  assertSameGrid(label, labelFile, image, imagePath);
  return { id: c.id, image: toFloat32(image), label: toUint8Labels(label, labelFile), meta: c.meta };
}

function datasetFile(loaded: LoadedDataset): string {
  return resolveCasePath(loaded.root, DATASET_FILE);
}

function toFloat32(v: Volume): Volume<Float32Array> {
  const data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data);
  return createVolume(v.shape, data, { spacing: v.spacing, affine: v.affine });
}

function toUint8Labels(v: Volume, path: string): Volume<Uint8Array> {
  if (v.data instanceof Uint8Array) return createVolume(v.shape, v.data, { spacing: v.spacing, affine: v.affine });
  const out = new Uint8Array(v.data.length);
  for (let i = 0; i < out.length; i++) {
    const x = v.data[i];
    if (x > 255)
      throw new MultiraterError('invalid_label', `${path}: label values must be 0–255 for training, found ${x}`);
    out[i] = x;
  }
  return createVolume(v.shape, out, { spacing: v.spacing, affine: v.affine });
}
