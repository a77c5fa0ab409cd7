export { gaussianBlur } from './gaussian-blur.ts';
export { elasticDisplacementField, type ElasticParams } from './elastic-field.ts';
export {
  identitySpatialParams,
  transformPatch,
  type PatchSource,
  type PatchTarget,
  type SpatialParams,
} from './spatial-transform.ts';
export { applyIntensityAugmentation, identityIntensityParams, type IntensityParams } from './intensity-augmentation.ts';
export {
  defaultAugmentation,
  drawAugmentation,
  noAugmentation,
  type AugmentationConfig,
  type AugmentationParams,
} from './augmentation.ts';
