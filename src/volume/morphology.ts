/**
 * Binary morphology with a ball of radius r mm on an anisotropic grid, through the exact Euclidean distance
 * transform (`distance-transform.ts`) instead of a structuring element, so its cost does not grow with r:
 * dilation keeps x when some foreground voxel lies within r of it (EDT of the foreground ≤ r), erosion keeps x
 * when every voxel within r is foreground (EDT of the background > r). The ball is the set of voxel offsets
 * whose centre distance in mm is ≤ r, as scipy.ndimage's binary_dilation/binary_erosion with that footprint.
 * Inputs are masks: any non-zero voxel is foreground. Outputs are 0/1 uint8 volumes on the same grid.
 * Singleton axes are dropped first (`squeeze-grid.ts`): a 64×64×1 mask is a 2D image, so erosion with a
 * background outside does not see empty slices above and below its one slice.
 */
import { MultiraterError } from '../errors.ts';
import { squaredDistanceTransform } from './distance-transform.ts';
import { spatialRank, squeezeGrid } from './squeeze-grid.ts';
import { createVolume, formatShape, type Volume } from './volume.ts';

/**
 * Options of {@link binaryErode}, {@link binaryDilate}, {@link binaryOpen} and {@link binaryClose}: the ball's radius
 * in mm and what lies beyond the grid.
 */
export interface MorphologyOptions {
  /** Radius of the ball, in mm (≥ 0). */
  radius: number;
  /**
   * What lies beyond the grid during erosion: 'background' (scipy's border_value=0: objects touching the border
   * are eroded from it) or 'foreground' (ITK's default: they are not); default 'background'.
   */
  outside?: 'background' | 'foreground';
}

/** Dilation of the non-zero voxels of `volume` by a ball of `radius` mm. */
export function binaryDilate(volume: Volume, options: MorphologyOptions): Volume<Uint8Array> {
  check(volume, options);
  return maskVolume(volume, dilateMask(volume.data, volume, options.radius));
}

/** Erosion of the non-zero voxels of `volume` by a ball of `radius` mm. */
export function binaryErode(volume: Volume, options: MorphologyOptions): Volume<Uint8Array> {
  check(volume, options);
  return maskVolume(volume, erodeMask(volume.data, volume, options.radius, options.outside ?? 'background'));
}

/** Opening (erosion, then dilation): removes parts thinner than the ball. */
export function binaryOpen(volume: Volume, options: MorphologyOptions): Volume<Uint8Array> {
  check(volume, options);
  const eroded = erodeMask(volume.data, volume, options.radius, options.outside ?? 'background');
  return maskVolume(volume, dilateMask(eroded, volume, options.radius));
}

/** Closing (dilation, then erosion): fills gaps and holes narrower than the ball. */
export function binaryClose(volume: Volume, options: MorphologyOptions): Volume<Uint8Array> {
  check(volume, options);
  const dilated = dilateMask(volume.data, volume, options.radius);
  return maskVolume(volume, erodeMask(dilated, volume, options.radius, options.outside ?? 'background'));
}

type Grid = Pick<Volume, 'shape' | 'spacing'>;

function check(volume: Volume, options: MorphologyOptions): void {
  if (spatialRank(volume.shape) > 3)
    throw new MultiraterError(
      'dimension_mismatch',
      `morphology needs a 2D or 3D volume, got ${formatShape(volume.shape)}`,
    );
  if (!Number.isFinite(options.radius) || options.radius < 0) {
    throw new MultiraterError('invalid_argument', `morphology radius ${options.radius} mm is not a finite number ≥ 0`);
  }
  if (options.outside !== undefined && options.outside !== 'background' && options.outside !== 'foreground') {
    throw new MultiraterError(
      'invalid_argument',
      `morphology outside ${String(options.outside)} is not background or foreground`,
    );
  }
}

/** r² with a relative slack, so offsets exactly on the sphere count as inside despite float round-off. */
function radiusSquared(radius: number): number {
  return radius * radius * (1 + 1e-9);
}

function dilateMask(mask: ArrayLike<number>, grid: Grid, radius: number): Uint8Array {
  const d2 = squaredDistanceTransform(mask, grid.shape, { spacing: grid.spacing });
  const r2 = radiusSquared(radius);
  const out = new Uint8Array(d2.length);
  for (let i = 0; i < d2.length; i++) out[i] = d2[i] <= r2 ? 1 : 0;
  return out;
}

function erodeMask(
  mask: ArrayLike<number>,
  grid: Grid,
  radius: number,
  outside: 'background' | 'foreground',
): Uint8Array {
  const n = mask.length;
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) background[i] = mask[i] === 0 ? 1 : 0;
  const d2 = squaredDistanceTransform(background, grid.shape, { spacing: grid.spacing });
  if (outside === 'background') nearestOutside(d2, grid);
  const r2 = radiusSquared(radius);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = d2[i] > r2 ? 1 : 0;
  return out;
}

/**
 * Lowers each squared distance to that of the nearest voxel just beyond the grid, when it is nearer. An axis of
 * length 1 is no axis of the image (singleton axes are dropped), so nothing lies beyond it.
 */
function nearestOutside(d2: Float64Array, grid: Grid): void {
  const { shape, spacing } = squeezeGrid(grid.shape, grid.spacing);
  const tables = [0, 1, 2].map((a) => {
    const n = shape[a] ?? 1;
    const table = new Float64Array(n);
    for (let i = 0; i < n; i++)
      table[i] = a < shape.length && n > 1 ? (Math.min(i + 1, n - i) * spacing[a]) ** 2 : Infinity;
    return table;
  });
  const [n0, n1, n2] = [shape[0], shape[1] ?? 1, shape[2] ?? 1];
  const [t0, t1, t2] = tables;
  let p = 0;
  for (let k = 0; k < n2; k++) {
    for (let j = 0; j < n1; j++) {
      const jk = Math.min(t1[j], t2[k]);
      for (let i = 0; i < n0; i++, p++) {
        const b = t0[i] < jk ? t0[i] : jk;
        if (b < d2[p]) d2[p] = b;
      }
    }
  }
}

function maskVolume(like: Volume, data: Uint8Array): Volume<Uint8Array> {
  return createVolume(like.shape, data, { spacing: like.spacing, affine: like.affine });
}
