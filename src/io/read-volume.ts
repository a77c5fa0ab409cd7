/**
 * One entry point for reading an image: NIfTI (.nii, .nii.gz) or NRRD (.nrrd, .nhdr), chosen by extension.
 * `readLabelMap` adds the checks label maps need (integer values, at most 3D unless allowed).
 */
import { MultiraterError } from '../errors.ts';
import { roundLabelValues } from '../volume/index.ts';
import { formatShape, isIntegerDType, type Volume } from '../volume/index.ts';
import { readNifti } from './read-nifti.ts';
import { readNrrd } from './read-nrrd.ts';

/** Image file formats multirater reads. */
export type ImageFormat = 'nifti' | 'nrrd';

/**
 * The format of `path` from its extension (.nii, .nii.gz → nifti; .nrrd, .nhdr → nrrd); other extensions are an
 * `unsupported_format` error.
 */
export function imageFormat(path: string): ImageFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.nii') || p.endsWith('.nii.gz')) return 'nifti';
  if (p.endsWith('.nrrd') || p.endsWith('.nhdr')) return 'nrrd';
  throw new MultiraterError(
    'unsupported_format',
    `${path}: unknown image format (expected .nii, .nii.gz, .nrrd or .nhdr)`,
  );
}

/** Options of {@link readVolume} and {@link readLabelMap}. */
export interface ReadVolumeOptions {
  /** Highest number of axes accepted (after trailing singleton axes are dropped); default 4. */
  maxDims?: number;
}

/** Reads a NIfTI or NRRD file into a Volume. */
export function readVolume(path: string, options: ReadVolumeOptions = {}): Volume {
  const format = imageFormat(path);
  const volume = format === 'nrrd' ? readNrrd(path).volume : readNifti(path).volume;
  const maxDims = options.maxDims ?? 4;
  let dims = volume.shape.length;
  while (dims > 1 && volume.shape[dims - 1] === 1) dims--;
  if (dims > maxDims) {
    throw new MultiraterError(
      'dimension_mismatch',
      `${path}: ${dims}D image (${formatShape(volume.shape)}), expected at most ${maxDims}D`,
    );
  }
  return volume;
}

/**
 * Reads a label map: integer voxels, or float voxels (including integers scaled by scl_slope/scl_inter) that all
 * lie within LABEL_ROUNDING_TOLERANCE (1e-6) of whole numbers ≥ 0, which are rounded to them; at most 3D.
 */
export function readLabelMap(path: string, options: ReadVolumeOptions = {}): Volume {
  const volume = readVolume(path, { maxDims: options.maxDims ?? 3 });
  if (!isIntegerDType(volume.dtype)) {
    const bad = roundLabelValues(volume.data);
    if (bad !== null)
      throw new MultiraterError('invalid_label', `${path}: label maps need whole non-negative values, found ${bad}`);
  }
  return volume;
}
