/**
 * A dense displacement field on a fixed image's grid: for every voxel x of the fixed image, the displacement
 * s(x) such that the moving image is sampled at x + s(x) (ITK's convention: the field maps fixed to moving).
 * Components are in mm along the voxel axes (i, j[, k]) — spacing-aware like ITK's filters, so the same field
 * means the same motion whatever the voxel size; divide by the spacing for voxels.
 */
import { MultiraterError } from '../errors.ts';
import { formatShape, voxelCount, type Affine, type Volume } from '../volume/index.ts';

/** A dense displacement field, fixed to moving, in mm per voxel axis (see the file comment). */
export interface DisplacementField {
  /** Spatial shape of the grid, 2 or 3 axes (i fastest). */
  shape: number[];
  /** Voxel size per axis, in mm. */
  spacing: number[];
  /** Voxel-to-world affine of the grid (the fixed image's). */
  affine: Affine;
  /** One array per axis (i, j[, k]) of voxelCount(shape) displacements, in mm along that voxel axis. */
  components: Float32Array[];
}

/** The grid of a field or image in the 3D form every hot loop uses (nz = 1 and sz = 1 for 2D). */
export interface Grid3 {
  /** Spatial axes of the grid: 2 or 3. */
  dims: 2 | 3;
  /** Voxels along i (the fastest axis). */
  nx: number;
  /** Voxels along j. */
  ny: number;
  /** Voxels along k; 1 for 2D. */
  nz: number;
  /** Voxel size along i, mm (1 when the spacing does not give it). */
  sx: number;
  /** Voxel size along j, mm (1 when the spacing does not give it). */
  sy: number;
  /** Voxel size along k, mm; 1 for 2D. */
  sz: number;
}

/** The 3D form of a 2D or 3D spatial grid. */
export function grid3(shape: readonly number[], spacing: readonly number[]): Grid3 {
  if (shape.length !== 2 && shape.length !== 3) {
    throw new MultiraterError('dimension_mismatch', `registration needs a 2D or 3D grid, got ${formatShape(shape)}`);
  }
  return {
    dims: shape.length as 2 | 3,
    nx: shape[0],
    ny: shape[1],
    nz: shape[2] ?? 1,
    sx: spacing[0] ?? 1,
    sy: spacing[1] ?? 1,
    sz: shape.length === 3 ? (spacing[2] ?? 1) : 1,
  };
}

/** A zero field on the spatial grid of `like` (its first 2 or 3 axes). */
export function zeroField(like: Pick<Volume, 'shape' | 'spacing' | 'affine'>): DisplacementField {
  const shape = like.shape.slice(0, like.shape.length >= 3 ? 3 : 2);
  const n = voxelCount(shape);
  return {
    shape,
    spacing: like.spacing.slice(0, shape.length),
    affine: like.affine.map((r) => [...r]),
    components: shape.map(() => new Float32Array(n)),
  };
}

/** A deep copy of `field`. */
export function cloneField(field: DisplacementField): DisplacementField {
  return {
    shape: [...field.shape],
    spacing: [...field.spacing],
    affine: field.affine.map((r) => [...r]),
    components: field.components.map((c) => c.slice()),
  };
}
