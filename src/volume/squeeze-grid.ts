/**
 * Singleton axes are dropped before anything else (SPEC-metrics.md): a 64×64×1 volume is a 2D image, so its
 * one slice has no "outside" neighbours above and below, its surface is the 2D outline, its connected components
 * are those of the plane and its morphology stays in the plane. Dropping axes of length 1 leaves the voxel order
 * (i fastest) unchanged, so only shape and spacing change. Metrics, connected components and morphology all go
 * through this one function.
 */

/** The non-singleton axes of a grid: their extents, spacings (mm) and original axis numbers. */
export interface SqueezedGrid {
  /** Extent per kept axis; `[1]` when every axis has length 1. */
  shape: number[];
  /** Voxel size per kept axis, in mm. */
  spacing: number[];
  /** Index of each kept axis in the original shape. */
  axes: number[];
}

/** Drops the axes of length 1 from `shape` and `spacing` (mm); keeps one axis when all are singleton. */
export function squeezeGrid(shape: readonly number[], spacing: readonly number[]): SqueezedGrid {
  const axes: number[] = [];
  shape.forEach((len, axis) => {
    if (len > 1) axes.push(axis);
  });
  if (axes.length === 0) return { shape: [1], spacing: [spacing[0] ?? 1], axes: [0] };
  return { shape: axes.map((a) => shape[a]), spacing: axes.map((a) => spacing[a] ?? 1), axes };
}

/** The number of axes of `shape` longer than 1 (at least 1): 2 for a 64×64×1 volume. */
export function spatialRank(shape: readonly number[]): number {
  return Math.max(1, shape.filter((len) => len > 1).length);
}
