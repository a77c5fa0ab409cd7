/**
 * The demo's picture of predictions: one test case, a few slices (rows), and in columns the image, the phantom's
 * truth and each rater's model prediction, as label outlines (`overlayFigure`), written as a PNG.
 */
import { join } from 'node:path';
import { loadDataset, resolveCasePath } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { writePng } from '../report/index.ts';
import { overlayFigure } from '../report/index.ts';
import { LABEL_COLOUR_NAMES } from '../report/index.ts';

/** Options of `writeDemoFigure`: the demo's dataset, its prediction folders and the PNG to write. */
export interface DemoFigureOptions {
  /** Dataset folder (the demo's simulated phantom). */
  data: string;
  /** Prediction folders (`<caseId>.nii.gz` each) by the rater the model was trained on, in column order. */
  predictions: { rater: string; dir: string }[];
  /** Output PNG path. */
  out: string;
}

/** What `writeDemoFigure` drew and where. */
export interface DemoFigure {
  /** The PNG written (`options.out`). */
  out: string;
  /** The test case drawn: the dataset's first test case with an image and a truth. */
  caseId: string;
  /** Slices drawn, one row each. */
  slices: number[];
  /** What each column shows. */
  columns: string[];
  /** One sentence for the figure's caption: case, rows, columns, outline colours. */
  caption: string;
}

/** Writes the figure of the dataset's first test case with a truth; see the file comment. */
export function writeDemoFigure(options: DemoFigureOptions): DemoFigure {
  const { dataset, root } = loadDataset(options.data);
  const c = dataset.cases.find((x) => x.meta.split === 'test' && x.image !== undefined && x.truth !== undefined);
  if (!c?.image || !c.truth)
    throw new MultiraterError(
      'invalid_dataset',
      `${join(root, 'dataset.json')}: no test case with an image and a truth to draw`,
    );
  const labels = [
    readLabelMap(resolveCasePath(root, c.truth)),
    ...options.predictions.map((p) => readLabelMap(join(p.dir, `${c.id}.nii.gz`))),
  ];
  const figure = overlayFigure(readVolume(resolveCasePath(root, c.image)), labels);
  writePng(options.out, figure.picture);
  const columns = ['image', 'truth', ...options.predictions.map((p) => `U-Net trained on ${p.rater}`)];
  const colours = Object.entries(dataset.labels).map(
    ([value, name]) => `${name} ${LABEL_COLOUR_NAMES[Number(value) % LABEL_COLOUR_NAMES.length]}`,
  );
  const caption = `Test case ${c.id}, slices ${figure.slices.join(', ')} (rows); columns: ${columns.join(', ')}; outlines: ${colours.join(', ')}.`;
  return { out: options.out, caseId: c.id, slices: figure.slices, columns, caption };
}
