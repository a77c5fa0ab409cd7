/**
 * Prediction by several trained models at once: each case's class probabilities are the mean of the models'
 * probabilities (`predictProbabilities`, the same sliding window and normalisation as `predict`), and the label is
 * their arg-max (ties to the lower label). The "separate CNNs, one per annotator" baseline of Zhang et al. 2020
 * (test output = mean of the annotators' networks' probabilities). The models must agree on classes and dimensions.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeNifti } from '../io/index.ts';
import { createVolume } from '../volume/index.ts';
import { loadTrainedModel, predictProbabilities, type TrainedModel } from './predict.ts';
import { predictImageCases } from './predict-image-cases.ts';
import { selectImageCases } from './select-image-cases.ts';

/** Options of `predictEnsembleDataset`: the model folders, dataset, output folder and runtime. */
export interface PredictEnsembleDatasetOptions {
  /** Trained model folders (at least one), all with the same classes and dimensions. */
  models: string[];
  /** Dataset folder (with dataset.json). */
  data: string;
  /** Only cases of this split; default every case with an image. */
  split?: Split;
  /** Output folder: one `<caseId>.nii.gz` (uint8 labels) per case. */
  out: string;
  /** ONNX Runtime threads per model session; default the physical cores. */
  threads?: number;
  /** Called after each case. */
  onCase?: (caseId: string, done: number, total: number) => void;
}

/** The arg-max over classes of class-major probabilities [C][voxels] (ties to the lower label). */
export function argmaxLabels(probs: Float32Array, classes: number): Uint8Array {
  const voxels = probs.length / classes;
  const labels = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[c * voxels + v] > probs[best * voxels + v]) best = c;
    labels[v] = best;
  }
  return labels;
}

/** Predicts every selected case with the mean probabilities of `models` into `out/<caseId>.nii.gz`; returns the written paths. */
export async function predictEnsembleDataset(options: PredictEnsembleDatasetOptions): Promise<string[]> {
  if (options.models.length === 0)
    throw new MultiraterError('invalid_argument', 'predict ensemble: needs at least one model folder');
  const { images, cases } = selectImageCases(options, options.models);
  const missing = images.find((p) => !existsSync(p));
  if (missing) throw new MultiraterError('file_not_found', `${missing}: image listed in dataset.json not found`);
  const models: TrainedModel[] = [];
  try {
    for (const dir of options.models) models.push(await loadTrainedModel(dir, options.threads));
    const { classes, dims } = models[0].config;
    const other = models.find((m) => m.config.classes !== classes || m.config.dims !== dims);
    if (other !== undefined)
      throw new MultiraterError(
        'invalid_argument',
        `${other.dir}: ${other.config.classes} classes in ${other.config.dims}D, but ${models[0].dir} has ${classes} in ${dims}D`,
      );
    return await predictImageCases({ cases, images }, options, async (image, c) => {
      let mean: Float32Array | null = null;
      for (const model of models) {
        const p = await predictProbabilities(model, image);
        if (mean === null) mean = p;
        else for (let k = 0; k < p.length; k++) mean[k] += p[k];
      }
      for (let k = 0; k < mean!.length; k++) mean![k] /= models.length;
      const path = join(options.out, `${c.id}.nii.gz`);
      writeNifti(
        path,
        createVolume([...image.shape], argmaxLabels(mean!, classes), { spacing: image.spacing, affine: image.affine }),
      );
      return [path];
    });
  } finally {
    for (const m of models) await m.session.release();
  }
}
