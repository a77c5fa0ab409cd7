/**
 * The loop of every dataset-wide prediction (one model, an ensemble, the annotator matrices): the cases
 * `selectImageCases` chose, in order, each on its image, into an output folder created first.
 */
import { mkdirSync } from 'node:fs';
import type { Case } from '../datasets/index.ts';
import { readVolume } from '../io/index.ts';
import type { Volume } from '../volume/index.ts';
import type { ImageCases } from './select-image-cases.ts';

/** Options of `predictImageCases`: where the outputs go and who hears of each case done. */
export interface PredictImageCasesOptions {
  /** Output folder, created (with its parents) before the first case. */
  out: string;
  /** Called after each case with its id, the cases done and the cases in all. */
  onCase?: (caseId: string, done: number, total: number) => void;
}

/**
 * Reads each selected case's image (at most 3D) and lets `predictCase` write its outputs under `options.out`;
 * returns every path written, in case order.
 */
export async function predictImageCases(
  selected: Pick<ImageCases, 'cases' | 'images'>,
  options: PredictImageCasesOptions,
  predictCase: (image: Volume, c: Case) => Promise<string[]>,
): Promise<string[]> {
  const { cases, images } = selected;
  mkdirSync(options.out, { recursive: true });
  const written: string[] = [];
  for (const [n, c] of cases.entries()) {
    written.push(...(await predictCase(readVolume(images[n], { maxDims: 3 }), c)));
    options.onCase?.(c.id, n + 1, cases.length);
  }
  return written;
}
