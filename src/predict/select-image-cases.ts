/**
 * The cases a dataset-wide prediction runs over: those with an image, of one split when asked, with the output
 * folder checked to lie outside every input (the dataset and the model folders) before anything is written.
 */
import { join } from 'node:path';
import { datasetInputs, loadDataset, resolveCasePath, type Case, type Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';

/** Options of `selectImageCases`: the dataset, an optional split, and the output folder to check. */
export interface SelectImageCasesOptions {
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Only cases of this split; default every case with an image. */
  split?: Split;
  /** Output folder, which must lie outside the dataset and `models`. */
  out: string;
}

/** What `selectImageCases` returns: the dataset folder, the selected cases and their image paths. */
export interface ImageCases {
  /** The dataset folder. */
  root: string;
  /** The selected cases, in dataset.json's order. */
  cases: Case[];
  /** Each selected case's image path, resolved against `root` (not checked to exist). */
  images: string[];
}

/** Selects the cases with an image (of `options.split`); `models` are the model folders the prediction reads. */
export function selectImageCases(options: SelectImageCasesOptions, models: readonly string[]): ImageCases {
  const loaded = loadDataset(options.data);
  const { dataset, root } = loaded;
  assertFolderOutsideInputs('options.out', options.out, [...models, ...datasetInputs(loaded)]);
  const cases = dataset.cases.filter(
    (c) => c.image !== undefined && (options.split === undefined || c.meta.split === options.split),
  );
  if (cases.length === 0)
    throw new MultiraterError(
      'invalid_argument',
      `${join(root, 'dataset.json')}: no cases with an image${options.split ? ` in split "${options.split}"` : ''}`,
    );
  return { root, cases, images: cases.map((c) => resolveCasePath(root, c.image as string)) };
}
