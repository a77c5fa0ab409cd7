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
export { squeezeGrid, type SqueezedGrid } from './squeeze-grid.ts';
export { assertSameGrid, gridDifference, type Grid, type SameGridOptions } from './grid.ts';
export {
  LABEL_ROUNDING_TOLERANCE,
  labelCounts,
  labelCountsAtMost,
  labelMask,
  labelSet,
  roundLabelValues,
} from './labels.ts';
export { distanceTransform, squaredDistanceTransform, type DistanceTransformOptions } from './distance-transform.ts';
export { boundingBox, type BoundingBoxOptions, type Box } from './bounding-box.ts';
export { centredBox, crop, shiftedAffine, type CropOptions } from './crop.ts';
export { extractFrame, extractSlice, type SliceOptions } from './slice.ts';
export { resample, type Interpolation, type ResampleOptions } from './resample.ts';
export { binaryClose, binaryDilate, binaryErode, binaryOpen, type MorphologyOptions } from './morphology.ts';
export {
  connectedComponents,
  largestComponent,
  type ConnectedComponents,
  type ConnectedComponentsOptions,
} from './connected-components.ts';
export { fullConnectivity } from './connected-components.ts';
export { gaussianKernel, type GaussianKernelOptions } from './gaussian-kernel.ts';
export { smoothSeparable, type SeparableGrid } from './smooth-separable.ts';
export {
  sampleLinear,
  sampleLinearPadded,
  sampleRow,
  type DisplacedGrid,
  type LinearGrid,
  type RowSampling,
} from './linear-sampling.ts';
