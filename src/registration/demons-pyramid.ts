/**
 * The resolution pyramid of multi-level demons: images shrunk by 2 per level along every axis that keeps at least
 * 8 voxels, after a Gaussian of σ = factor/2 voxels (the anti-aliasing of ITK's MultiResolutionPyramidImageFilter),
 * resampled on a grid centred on the original (volume/resample's convention); and the field carried from a coarse
 * level to the next finer grid by linear interpolation (its values are in mm, so they are kept as they are).
 */
import { gaussianKernel, resample, smoothSeparable } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { grid3, type DisplacementField } from './displacement-field.ts';

/** One resolution level: both images shrunk by the level's factors (the finest level: the inputs themselves). */
export interface PyramidLevel {
  /** The fixed image at this level; its grid is the level's field grid. */
  fixed: Volume;
  /** The moving image at this level, on the same grid as `fixed`. */
  moving: Volume;
}

const MIN_VOXELS = 8;

function shrink(v: Volume, factors: readonly number[]): Volume {
  if (factors.every((f) => f === 1)) return v;
  const data = Float32Array.from(v.data);
  const g = grid3(v.shape, v.spacing);
  smoothSeparable(
    [data],
    g,
    factors.map((f) => (f > 1 ? gaussianKernel(f / 2, { maximumError: 0.01 }) : Float64Array.of(1))),
  );
  const smooth = createVolume([...v.shape], data, { spacing: v.spacing, affine: v.affine });
  return resample(smooth, {
    shape: v.shape.map((n, a) => Math.max(1, Math.round(n / factors[a]))),
    interpolation: 'linear',
  });
}

/** Levels coarse to fine; the last is the input itself. */
export function demonsPyramid(fixed: Volume, moving: Volume, levels: number): PyramidLevel[] {
  const out: PyramidLevel[] = [];
  for (let l = 0; l < levels; l++) {
    const f = 2 ** (levels - 1 - l);
    const factors = fixed.shape.map((n) => (n / f >= MIN_VOXELS ? f : 1));
    out.push({ fixed: shrink(fixed, factors), moving: shrink(moving, factors) });
  }
  return out;
}

/** `field` resampled onto the grid of `like` (linear per component; values in mm unchanged). */
export function upsampleField(
  field: DisplacementField,
  like: Pick<Volume, 'shape' | 'spacing' | 'affine'>,
): DisplacementField {
  const components = field.components.map((c) => {
    const v = createVolume([...field.shape], c, { spacing: field.spacing, affine: field.affine });
    return Float32Array.from(
      resample(v, { shape: like.shape.slice(0, field.shape.length), interpolation: 'linear' }).data,
    );
  });
  return {
    shape: like.shape.slice(0, field.shape.length),
    spacing: like.spacing.slice(0, field.shape.length),
    affine: like.affine.map((r) => [...r]),
    components,
  };
}
