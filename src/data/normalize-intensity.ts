/**
 * Per-volume intensity normalisation as nnU-Net (Isensee et al. 2021, "ZScoreNormalization"): z-score over every
 * voxel or only over a mask (then voxels outside the mask become 0), and a percentile clip then linear scale to
 * [0, 1]. The noisy-ratio study's CT normalisation V' = (V − μ_{V>900}) / σ_{V>900} is a z-score whose statistics
 * come from the voxels above a threshold (bone) while every voxel is normalised (`above: 900`). Percentiles interpolate linearly between order statistics (numpy's default: rank p/100 · (n − 1)).
 * Each function returns the statistics it used, so a prediction or a report can state them.
 */
import { MultiraterError } from '../errors.ts';
import { quantileSorted } from '../stats/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';

/** Options of `zScoreNormalize`: which voxels the mean and standard deviation come from. */
export interface ZScoreOptions {
  /**
   * Voxels whose statistics are used: omitted = all; `'nonzero'` = voxels whose value is not 0 (MRI background);
   * or a 0/1 mask of the volume's length. Voxels outside the mask are set to 0 (nnU-Net's `use_mask_for_norm`).
   */
  mask?: 'nonzero' | Uint8Array;
  /**
   * Take mean and standard deviation from the voxels whose value exceeds this (input intensity unit, e.g. 900 HU),
   * and normalise every voxel with them; ignored when `mask` is given.
   */
  above?: number;
}

/** What `zScoreNormalize` returns: the normalised volume and the statistics it used. */
export interface ZScoreResult {
  /** (x − mean) / std as float32 on the input's grid (0 outside a mask, unless the statistics came from `above`). */
  volume: Volume<Float32Array>;
  /** Mean of the masked voxels, in the input's intensity unit. */
  mean: number;
  /** Population standard deviation of the masked voxels (floored at 1e-8 when dividing). */
  std: number;
  /** Number of voxels the statistics came from. */
  count: number;
}

/** (x − mean) / std with mean and std over all voxels or a mask. */
export function zScoreNormalize(volume: Volume, options: ZScoreOptions = {}): ZScoreResult {
  const d = volume.data;
  const n = d.length;
  let mask: Uint8Array | null = null;
  const statsOnly = options.mask === undefined && options.above !== undefined;
  if (statsOnly) {
    const t = options.above as number;
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = d[i] > t ? 1 : 0;
  } else if (options.mask === 'nonzero') {
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = d[i] !== 0 ? 1 : 0;
  } else if (options.mask) {
    if (options.mask.length !== n) {
      throw new MultiraterError('size_mismatch', `z-score mask has ${options.mask.length} voxels, the volume has ${n}`);
    }
    mask = options.mask;
  }
  let count = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    sum += d[i];
    count++;
  }
  if (count === 0) {
    const what = statsOnly ? `z-score: no voxel is above ${options.above} in` : 'z-score mask selects no voxel of';
    throw new MultiraterError('invalid_argument', `${what} the ${n}-voxel volume`);
  }
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const t = d[i] - mean;
    ss += t * t;
  }
  const std = Math.sqrt(ss / count);
  const inv = 1 / Math.max(std, 1e-8);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mask && !mask[i] && !statsOnly ? 0 : (d[i] - mean) * inv;
  return {
    volume: createVolume(volume.shape, out, { spacing: volume.spacing, affine: volume.affine }),
    mean,
    std,
    count,
  };
}

/** Options of `percentileScale`: the clipping percentiles. */
export interface PercentileScaleOptions {
  /** Lower percentile, 0–100; values below its intensity are clipped to it. Default 0.5. */
  lower?: number;
  /** Upper percentile, 0–100; values above its intensity are clipped to it. Default 99.5. */
  upper?: number;
}

/** What `percentileScale` returns: the scaled volume and the intensities it clipped at. */
export interface PercentileScaleResult {
  /** The clipped volume mapped linearly to [0, 1], float32 on the input's grid. */
  volume: Volume<Float32Array>;
  /** Intensity at the lower percentile (maps to 0), in the input's unit. */
  low: number;
  /** Intensity at the upper percentile (maps to 1), in the input's unit. */
  high: number;
}

/** Clips to the [lower, upper] percentiles' intensities, then maps them linearly to [0, 1] (all 0 when equal). */
export function percentileScale(volume: Volume, options: PercentileScaleOptions = {}): PercentileScaleResult {
  const lower = options.lower ?? 0.5;
  const upper = options.upper ?? 99.5;
  if (!(lower >= 0 && lower < upper && upper <= 100)) {
    throw new MultiraterError(
      'invalid_argument',
      `percentiles must satisfy 0 ≤ lower < upper ≤ 100, got ${lower} and ${upper}`,
    );
  }
  const sorted = Float64Array.from(volume.data).sort();
  const low = quantileSorted(sorted, lower / 100);
  const high = quantileSorted(sorted, upper / 100);
  const d = volume.data;
  const out = new Float32Array(d.length);
  const scale = high > low ? 1 / (high - low) : 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i] < low ? low : d[i] > high ? high : d[i];
    out[i] = (x - low) * scale;
  }
  return { volume: createVolume(volume.shape, out, { spacing: volume.spacing, affine: volume.affine }), low, high };
}

/** A normalisation choice, as written in a training config. */
export type IntensityNormalization =
  | {
      /** (x − mean) / std (`zScoreNormalize`). */
      method: 'zscore';
      /** 'nonzero': statistics from non-zero voxels only, the others set to 0; default every voxel. */
      mask?: 'nonzero';
      /** Statistics from voxels above this (input unit, e.g. 900 HU), applied to every voxel; ignored with `mask`. */
      above?: number;
    }
  | {
      /** Clip to two percentiles' intensities, then map them linearly to [0, 1] (`percentileScale`). */
      method: 'percentile';
      /** Lower percentile, 0–100; default 0.5. */
      lower?: number;
      /** Upper percentile, 0–100; default 99.5. */
      upper?: number;
    }
  | {
      /** Intensities kept as they are, converted to float32. */
      method: 'none';
    };

/** Applies the chosen normalisation and returns the float32 volume. */
export function normalizeIntensity(volume: Volume, normalization: IntensityNormalization): Volume<Float32Array> {
  switch (normalization.method) {
    case 'zscore':
      return zScoreNormalize(volume, { mask: normalization.mask, above: normalization.above }).volume;
    case 'percentile':
      return percentileScale(volume, normalization).volume;
    case 'none':
      return createVolume(volume.shape, Float32Array.from(volume.data), {
        spacing: volume.spacing,
        affine: volume.affine,
      });
  }
}
