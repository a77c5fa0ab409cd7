/**
 * Which augmentations a training run uses, and the seeded draw of one sample's parameters (STYLE habit 9: draw
 * from the seeded generator, record, then the deterministic `transformPatch` / `applyIntensityAugmentation` apply
 * them). Defaults follow nnU-Net v2 (Isensee et al. 2021, `get_training_transforms`): mirroring p = 0.5 per axis,
 * rotation p = 0.2 (±180° in 2D, ±30° per axis in 3D), isotropic scaling p = 0.2 in [0.7, 1.4], noise p = 0.1
 * (variance up to 0.1), blur p = 0.2 (σ 0.5–1 voxel), brightness and contrast p = 0.15 in [0.75, 1.25], gamma p = 0.3
 * in [0.7, 1.5]; translation and elastic deformation are off by default (nnU-Net's random crop shifts instead).
 * Deviation: nnU-Net's separate inverted-gamma step (p = 0.1) is folded into gamma as `invertProbability`.
 * Each transform draws from its own fork of the sample's generator, so changing one leaves the others' draws alone.
 */
import type { Rng } from '../random/index.ts';
import type { IntensityParams } from './intensity-augmentation.ts';
import type { SpatialParams } from './spatial-transform.ts';

/** Probabilities and ranges of every augmentation; a probability of 0 turns one off. */
export interface AugmentationConfig {
  /** Mirror each patch axis independently with this probability. */
  flip: {
    /** Chance (0–1) per sample and axis that the axis is mirrored. */
    probability: number;
  };
  /**
   * Rotate with this probability; each angle uniform in ±`maxDegrees` (degrees; 2D one angle, 3D three, about i, j, k).
   * A triple gives each axis its own limit (2D uses the k entry), e.g. `[0, 0, 30]` turns thick-slice stacks in-plane only.
   */
  rotation: {
    /** Chance (0–1) per sample that the patch is rotated. */
    probability: number;
    /** Largest angle either way (degrees), one for every axis or per axis [i, j, k]. */
    maxDegrees: number | [number, number, number];
  };
  /** Scale with this probability by one factor for all axes, uniform in [min, max] (> 1 zooms in). */
  scale: {
    /** Chance (0–1) per sample that the patch is scaled. */
    probability: number;
    /** Smallest factor (< 1 zooms out). */
    min: number;
    /** Largest factor (> 1 zooms in). */
    max: number;
  };
  /** Shift with this probability, each axis uniform in ±`maxMm` (mm). */
  translation: {
    /** Chance (0–1) per sample that the patch is shifted. */
    probability: number;
    /** Largest shift either way per axis (mm). */
    maxMm: number;
  };
  /** Elastic deformation with this probability: RMS displacement uniform in `magnitude` (mm), correlation length uniform in `sigma` (mm). */
  elastic: {
    /** Chance (0–1) per sample that the patch is deformed. */
    probability: number;
    /** [min, max] of the RMS displacement (mm). */
    magnitude: [number, number];
    /** [min, max] of the displacement field's correlation length (mm). */
    sigma: [number, number];
  };
  /** Gaussian noise with this probability, variance uniform in [0, maxVariance] (normalised intensity units²). */
  noise: {
    /** Chance (0–1) per sample that noise is added. */
    probability: number;
    /** Largest noise variance (normalised intensity units²); the variance is drawn uniform from 0. */
    maxVariance: number;
  };
  /** Gaussian blur with this probability, σ per axis uniform in `sigma` (voxels). */
  blur: {
    /** Chance (0–1) per sample that the image is blurred. */
    probability: number;
    /** [min, max] of the Gaussian σ, drawn per axis (voxels). */
    sigma: [number, number];
  };
  /** Multiply intensities with this probability by a factor uniform in `range`. */
  brightness: {
    /** Chance (0–1) per sample that intensities are multiplied. */
    probability: number;
    /** [min, max] of the multiplicative factor. */
    range: [number, number];
  };
  /** Scale intensities about the mean with this probability by a factor uniform in `range`. */
  contrast: {
    /** Chance (0–1) per sample that contrast changes. */
    probability: number;
    /** [min, max] of the factor about the mean (result clipped to the sample's original min–max). */
    range: [number, number];
  };
  /** Gamma with this probability, exponent uniform in `range`, on the inverted image with `invertProbability`. */
  gamma: {
    /** Chance (0–1) per sample that a gamma curve is applied. */
    probability: number;
    /** [min, max] of the exponent. */
    range: [number, number];
    /** Chance (0–1), given a gamma draw, that it applies to the negated image. */
    invertProbability: number;
  };
}

/** nnU-Net v2's default augmentation for 2D slices or 3D patches (see the file comment). */
export function defaultAugmentation(dims: 2 | 3): AugmentationConfig {
  return {
    flip: { probability: 0.5 },
    rotation: { probability: 0.2, maxDegrees: dims === 2 ? 180 : 30 },
    scale: { probability: 0.2, min: 0.7, max: 1.4 },
    translation: { probability: 0, maxMm: 10 },
    elastic: { probability: 0, magnitude: [1, 4], sigma: [8, 16] },
    noise: { probability: 0.1, maxVariance: 0.1 },
    blur: { probability: 0.2, sigma: [0.5, 1] },
    brightness: { probability: 0.15, range: [0.75, 1.25] },
    contrast: { probability: 0.15, range: [0.75, 1.25] },
    gamma: { probability: 0.3, range: [0.7, 1.5], invertProbability: 0.1 },
  };
}

/** No augmentation at all (validation batches). */
export function noAugmentation(): AugmentationConfig {
  return {
    flip: { probability: 0 },
    rotation: { probability: 0, maxDegrees: 0 },
    scale: { probability: 0, min: 1, max: 1 },
    translation: { probability: 0, maxMm: 0 },
    elastic: { probability: 0, magnitude: [0, 0], sigma: [1, 1] },
    noise: { probability: 0, maxVariance: 0 },
    blur: { probability: 0, sigma: [0, 0] },
    brightness: { probability: 0, range: [1, 1] },
    contrast: { probability: 0, range: [1, 1] },
    gamma: { probability: 0, range: [1, 1], invertProbability: 0 },
  };
}

/** One sample's recorded augmentation parameters. */
export interface AugmentationParams {
  /** Flip, rotation, scale, translation and elastic draws, applied by `transformPatch`. */
  spatial: SpatialParams;
  /** Noise, blur, brightness, contrast and gamma draws, applied by `applyIntensityAugmentation`. */
  intensity: IntensityParams;
}

/** Draws one sample's parameters for a `dims`-D patch from `rng` according to `config`. */
export function drawAugmentation(rng: Rng, config: AugmentationConfig, dims: 2 | 3): AugmentationParams {
  const axes = [...Array(dims).keys()];
  const angles = dims === 2 ? 1 : 3;
  const flipRng = rng.fork('flip');
  const rotRng = rng.fork('rotation');
  const scaleRng = rng.fork('scale');
  const shiftRng = rng.fork('translation');
  const elasticRng = rng.fork('elastic');
  const noiseRng = rng.fork('noise');
  const blurRng = rng.fork('blur');
  const brightRng = rng.fork('brightness');
  const contrastRng = rng.fork('contrast');
  const gammaRng = rng.fork('gamma');
  const c = config;
  const rotate = happens(rotRng, c.rotation.probability);
  const scale = happens(scaleRng, c.scale.probability) ? scaleRng.range(c.scale.min, c.scale.max) : 1;
  const shift = happens(shiftRng, c.translation.probability);
  const spatial: SpatialParams = {
    flip: axes.map(() => happens(flipRng, c.flip.probability)),
    rotation: [...Array(angles).keys()].map((a) => {
      const max =
        typeof c.rotation.maxDegrees === 'number' ? c.rotation.maxDegrees : c.rotation.maxDegrees[dims === 2 ? 2 : a];
      return rotate ? rotRng.range(-max, max) : 0;
    }),
    scale: axes.map(() => scale),
    translation: axes.map(() => (shift ? shiftRng.range(-c.translation.maxMm, c.translation.maxMm) : 0)),
    elastic: happens(elasticRng, c.elastic.probability)
      ? {
          magnitude: elasticRng.range(c.elastic.magnitude[0], c.elastic.magnitude[1]),
          sigma: elasticRng.range(c.elastic.sigma[0], c.elastic.sigma[1]),
          seed: elasticRng.nextUint32(),
        }
      : null,
  };
  const intensity: IntensityParams = {
    noise: happens(noiseRng, c.noise.probability)
      ? { sigma: Math.sqrt(noiseRng.range(0, c.noise.maxVariance)), seed: noiseRng.nextUint32() }
      : null,
    blur: happens(blurRng, c.blur.probability)
      ? { sigma: axes.map(() => blurRng.range(c.blur.sigma[0], c.blur.sigma[1])) }
      : null,
    brightness: happens(brightRng, c.brightness.probability)
      ? { factor: brightRng.range(c.brightness.range[0], c.brightness.range[1]) }
      : null,
    contrast: happens(contrastRng, c.contrast.probability)
      ? { factor: contrastRng.range(c.contrast.range[0], c.contrast.range[1]) }
      : null,
    gamma: happens(gammaRng, c.gamma.probability)
      ? {
          gamma: gammaRng.range(c.gamma.range[0], c.gamma.range[1]),
          invert: happens(gammaRng, c.gamma.invertProbability),
        }
      : null,
  };
  return { spatial, intensity };
}

/** True with probability `p`; draws nothing when p is 0 or 1, so an always/never setting replays the same. */
function happens(rng: Rng, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return rng.uniform() < p;
}
