/**
 * What an audit checks before it trains anything. It trains k fold models first and reads the label maps it scores
 * only afterwards, so a case it could not score would otherwise fail after all the training: every case's image and
 * label maps (the audited rater's, the reference's, the agreement raters') are read once here, each must be at most
 * 3D and on its image's grid, and the fold models' settings (network, patch size, labels) must resolve. Grids are
 * taken with their singleton axes dropped everywhere downstream (`volume/squeeze-grid.ts`), so a W×H×1 case is
 * scored as the 2D image it is, and the regions' connectivity (26 in 3D, 8 in 2D) follows from the grid.
 */
import { readLabelMap, readVolume } from '../io/index.ts';
import { resolveTrainConfig, type TrainOptions } from '../train/index.ts';
import { assertSameGrid } from '../volume/index.ts';

/** One case: its image file (absent for a case only the agreement part reads) and the label map files read for it. */
export interface AuditInput {
  /** Image file; its grid is the one every label map must match. */
  image?: string;
  /** Label map files of the case (audited rater, reference, agreement raters); duplicates are read once. */
  labels: readonly string[];
}

/**
 * Throws a one-line `MultiraterError` naming the file when a case cannot be audited (see the file comment):
 * every label map must be on the image's grid (on the first map's without an image). `training` is what every
 * fold trains with, and `labels` the dataset's label names.
 */
export function checkAuditInputs(
  inputs: readonly AuditInput[],
  training: TrainOptions,
  labels: Record<string, string>,
): void {
  const maxShape = [1, 1, 1];
  for (const input of inputs) {
    const files = [...new Set(input.labels)];
    const referenceFile = input.image ?? files[0];
    if (referenceFile === undefined) continue;
    const reference =
      input.image === undefined
        ? readLabelMap(referenceFile, { maxDims: 3 })
        : readVolume(referenceFile, { maxDims: 3 });
    if (input.image !== undefined)
      for (let a = 0; a < 3; a++) maxShape[a] = Math.max(maxShape[a], reference.shape[a] ?? 1);
    for (const file of files)
      if (file !== referenceFile) assertSameGrid(readLabelMap(file, { maxDims: 3 }), file, reference, referenceFile);
  }
  resolveTrainConfig(training, labels, maxShape);
}
