/**
 * Intensity augmentations of one sample's image, deterministic given their recorded parameters, applied in
 * nnU-Net v2's order (Isensee et al. 2021; batchgenerators' color and noise transforms): Gaussian noise, Gaussian
 * blur, multiplicative brightness, contrast (about the mean, clipped to the sample's former range), gamma (on the
 * range-normalised sample, optionally on the inverted image, then mean and standard deviation restored).
 * Labels are untouched by all of them.
 */
import { Rng } from '../random/index.ts';
import { gaussianBlur } from './gaussian-blur.ts';

/** The recorded parameters of one intensity augmentation draw; a null entry was not applied. */
export interface IntensityParams {
  /** Additive Gaussian noise: standard deviation (intensity units after normalisation) and the noise's seed. */
  noise: {
    /** Standard deviation (normalised intensity units). */
    sigma: number;
    /** Seed of the per-voxel normal draws. */
    seed: number;
  } | null;
  /** Gaussian blur σ per patch axis, in voxels. */
  blur: {
    /** Gaussian σ per patch axis (voxels). */
    sigma: number[];
  } | null;
  /** Multiplicative brightness factor. */
  brightness: {
    /** Every intensity is multiplied by this. */
    factor: number;
  } | null;
  /** Contrast factor about the sample mean. */
  contrast: {
    /** Distances from the sample mean are multiplied by this, then clipped to the original min–max. */
    factor: number;
  } | null;
  /** Gamma exponent; `invert` applies it to the negated image (brightens dark structures instead). */
  gamma: {
    /** Exponent applied to intensities rescaled to 0–1; mean and std are restored after. */
    gamma: number;
    /** Whether the curve applies to the negated image. */
    invert: boolean;
  } | null;
}

/** Parameters that leave the image unchanged. */
export function identityIntensityParams(): IntensityParams {
  return { noise: null, blur: null, brightness: null, contrast: null, gamma: null };
}

/** Applies `params` in place to the `size` ([px, py] or [px, py, pz]) sample at `image[offset…]`. */
export function applyIntensityAugmentation(
  image: Float32Array,
  offset: number,
  size: readonly number[],
  params: IntensityParams,
): void {
  const shape: [number, number, number] = [size[0], size[1], size.length === 3 ? size[2] : 1];
  const n = shape[0] * shape[1] * shape[2];
  const x = image.subarray(offset, offset + n);
  if (params.noise) {
    const rng = new Rng(params.noise.seed);
    for (let i = 0; i < n; i++) x[i] += params.noise.sigma * rng.normal();
  }
  if (params.blur) gaussianBlur(x, shape, params.blur.sigma);
  if (params.brightness) {
    const f = params.brightness.factor;
    for (let i = 0; i < n; i++) x[i] *= f;
  }
  if (params.contrast) adjustContrast(x, params.contrast.factor);
  if (params.gamma) adjustGamma(x, params.gamma.gamma, params.gamma.invert);
}

function adjustContrast(x: Float32Array, factor: number): void {
  const { mean, min, max } = stats(x);
  for (let i = 0; i < x.length; i++) {
    const v = (x[i] - mean) * factor + mean;
    x[i] = v < min ? min : v > max ? max : v;
  }
}

function adjustGamma(x: Float32Array, gamma: number, invert: boolean): void {
  if (invert) for (let i = 0; i < x.length; i++) x[i] = -x[i];
  const before = stats(x);
  const range = before.max - before.min;
  if (range > 0) {
    for (let i = 0; i < x.length; i++) x[i] = Math.pow((x[i] - before.min) / range, gamma) * range + before.min;
    const after = stats(x);
    const k = after.std > 0 ? before.std / after.std : 1;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - after.mean) * k + before.mean;
  }
  if (invert) for (let i = 0; i < x.length; i++) x[i] = -x[i];
}

function stats(x: Float32Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) * (x[i] - mean);
  return { mean, std: Math.sqrt(ss / x.length), min, max };
}
