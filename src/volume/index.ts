export {
  allocate,
  createVolume,
  diagonalAffine,
  dtypeOf,
  DTYPES,
  formatShape,
  isIntegerDType,
  voxelCount,
  zerosLike,
  type Affine,
  type CreateVolumeOptions,
  type DType,
  type Volume,
  type VoxelArray,
} from './volume.ts';
export { assertSameGrid, gridDifference, type SameGridOptions } from './grid.ts';
export { labelCounts, labelMask, labelSet } from './labels.ts';
export { distanceTransform, squaredDistanceTransform, type DistanceTransformOptions } from './distance-transform.ts';
