/**
 * The per-case preprocessing before sampling, in nnU-Net's order (Isensee et al. 2021): intensity normalisation on
 * the original grid, resampling to the target spacing (image linear, label nearest), then crop or pad to a fixed
 * size. Each step is optional; the returned case carries the new grid's spacing and affine.
 */
import { cropOrPad } from './crop-or-pad.ts';
import { normalizeIntensity, type IntensityNormalization } from './normalize-intensity.ts';
import type { TrainingCase } from './training-cases.ts';
import { MultiraterError } from '../errors.ts';
import { resample } from '../volume/index.ts';
import type { Volume } from '../volume/index.ts';

/** Options of `preprocessCase` / `preprocessCases`; a step whose option is omitted is skipped (except normalisation). */
export interface PreprocessOptions {
  /** Intensity normalisation per volume; default z-score over all voxels. */
  normalization?: IntensityNormalization;
  /** Target voxel size per axis in mm, `null` keeps an axis (e.g. `[1.25, 1.25, null]`); default: keep the grid. */
  targetSpacing?: (number | null)[];
  /** Crop or pad to this many voxels per axis, `null` keeps an axis (e.g. `[128, 128, null]`); default: keep. */
  size?: (number | null)[];
  /** Crop window centre: the volume's centre (default) or the label's bounding-box centre. */
  cropAround?: 'centre' | 'label';
  /** Image value of padded voxels (normalised units); default 0. */
  padValue?: number;
}

/** Normalises, resamples and crops/pads one case. */
export function preprocessCase(c: TrainingCase, options: PreprocessOptions = {}): TrainingCase {
  let image = normalizeIntensity(c.image, options.normalization ?? { method: 'zscore' });
  let label: Volume<Uint8Array> = c.label;
  if (options.targetSpacing) {
    const shape = resampledShape(image.shape, image.spacing, options.targetSpacing);
    image = resample(image, { shape, interpolation: 'linear' }) as Volume<Float32Array>;
    label = resample(label, { shape, interpolation: 'nearest' }) as Volume<Uint8Array>;
  }
  if (options.size) {
    const cropped = cropOrPad(image, label, {
      size: options.size,
      around: options.cropAround,
      padValue: options.padValue,
    });
    image = cropped.image;
    label = cropped.label;
  }
  return { ...c, image, label };
}

/** `preprocessCase` on every case. */
export function preprocessCases(cases: readonly TrainingCase[], options: PreprocessOptions = {}): TrainingCase[] {
  return cases.map((c) => preprocessCase(c, options));
}

/**
 * The grid size a volume of `shape` and `spacing` (mm) takes at `target` spacing: round(n · spacing / target), at
 * least 1; `null` keeps an axis. Resampling to this size (centred grid) keeps the volume's outer edges, as nnU-Net.
 */
export function resampledShape(
  shape: readonly number[],
  spacing: readonly number[],
  target: readonly (number | null)[],
): number[] {
  return shape.map((n, a) => {
    const t = target[a];
    if (t === null || t === undefined) return n;
    if (!(t > 0)) throw new MultiraterError('invalid_argument', `target spacing ${t} mm on axis ${a} is not positive`);
    return Math.max(1, Math.round((n * spacing[a]) / t));
  });
}
