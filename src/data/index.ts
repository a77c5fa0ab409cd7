export {
  loadTrainingCase,
  loadTrainingCases,
  type LabelSource,
  type LoadTrainingCasesOptions,
  type TrainingCase,
} from './training-cases.ts';
export {
  normalizeIntensity,
  percentileScale,
  zScoreNormalize,
  type IntensityNormalization,
  type PercentileScaleOptions,
  type PercentileScaleResult,
  type ZScoreOptions,
  type ZScoreResult,
} from './normalize-intensity.ts';
export {
  cropOrPad,
  cropOrPadVolume,
  labelBoundingBoxCentre,
  windowStart,
  type CropOrPadOptions,
  type CropOrPadResult,
} from './crop-or-pad.ts';
export { preprocessCase, preprocessCases, resampledShape, type PreprocessOptions } from './prepare-case.ts';
export { buildSamplingPool, type PoolCase } from './sampling-pool.ts';
export { drawSampleLocation, type SampleLocation, type SampleLocationOptions } from './sample-location.ts';
export {
  allocateBatch,
  checkBatchGeometry,
  prepareBatch,
  prepareSample,
  resolveBatchOptions,
  type Batch,
  type BatchOptions,
  type SampleRecord,
} from './prepare-batch.ts';
export { BatchLoader, type BatchRange } from './batch-loader.ts';
export {
  tileStarts,
  validationBatches,
  validationLocations,
  type ValidationBatchOptions,
} from './validation-batches.ts';
export { adaptationWays, expertCombinations, type AdaptationWaysOptions } from './adaptation-subsets.ts';
export {
  keepOneLabelPerImage,
  loadMultiRaterCases,
  type LoadMultiRaterCasesOptions,
  type MultiRaterCase,
} from './multirater-cases.ts';
export { MultiRaterBatchLoader, type MultiRaterBatch } from './multirater-batch.ts';
export { multiRaterValidationBatches, type MultiRaterValidationBatch } from './multirater-batch.ts';
