export {
  loadTrainingCase,
  loadTrainingCases,
  type LabelSource,
  type LoadTrainingCasesOptions,
  type TrainingCase,
} from './training-cases.ts';
export {
  normalizeIntensity,
  percentileOfSorted,
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
export { gaussianBlur, gaussianKernel } from './gaussian-blur.ts';
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
export {
  binaryCrossEntropy,
  buildLoss,
  sampleDice,
  generalizedCrossEntropy,
  LOSS_NAMES,
  parseLossName,
  weightedCrossEntropy,
  type LossName,
  type LossOptions,
} from './losses.ts';
export { resolveTrainConfig, roundUp, type OptimizerName, type ScheduleName, type TrainConfig, type TrainOptions } from './train-config.ts';
export { buildLossGraph, evaluationModel, EXPERT_FEED, IMAGE_FEED, imageShape, inferenceModel, LABEL_FEED, PROBABILITIES_OUTPUT } from './model-graphs.ts';
export { expertFeed, expertFeeds, loadExpertCases, type ExpertCases, type LoadExpertCasesOptions } from './multi-expert.ts';
export { adaptationWays, expertCombinations, type AdaptationWaysOptions } from './adaptation-subsets.ts';
export { finetune, FINETUNE_FILE, trainingImageIds, type FinetuneOptions, type FinetuneRecord } from './finetune.ts';
export { countArgmax, Validator, type ValidationResult } from './validate.ts';
export { bestFileName, CHECKPOINT_DIR, loadRunState, saveRunState, type TrainerState, type ValidationRecord } from './run-state.ts';
export { CONFIG_FILE, LOG_FILE, makeOptimizer, makeSchedule, MODEL_FILE, train, type TrainEvent, type TrainResult } from './trainer.ts';
export { formatDuration, progressReporter, type ProgressOptions, type ProgressStream } from './progress.ts';
export { gaussianImportance, windowStarts } from './sliding-window.ts';
export { keepLargestComponents } from './largest-component.ts';
export {
  expertSlot,
  loadTrainedModel,
  predictDataset,
  predictFile,
  predictProbabilities,
  predictVolume,
  type PredictDatasetOptions,
  type PredictFileOptions,
  type PredictOptions,
  type TrainedModel,
} from './predict.ts';
export { STAPLE_ACROSS_RATER, stapleAcrossDataset, type StapleAcrossDatasetOptions, type StapleAcrossDatasetResult } from './staple-across-dataset.ts';
export { argmaxLabels, predictEnsembleDataset, type PredictEnsembleDatasetOptions } from './predict-ensemble.ts';
export { keepOneLabelPerImage, loadMultiRaterCases, type LoadMultiRaterCasesOptions, type MultiRaterCase } from './multirater-cases.ts';
export { MultiRaterBatchLoader, type MultiRaterBatch } from './multirater-batch.ts';
export {
  annotatorEvaluationModel,
  annotatorsModel,
  buildAnnotatorLossGraph,
  CMS_OUTPUT,
  LABELS_FEED,
  MASK_FEED,
  type AnnotatorGraphConfig,
  type AnnotatorMethod,
  type AnnotatorSettings,
  type AnnotatorTrainConfig,
} from './annotator-graphs.ts';
export { ImageCmAccumulator } from './image-confusion-matrices.ts';
export { AnnotatorValidator, majorityReference, type AnnotatorValidation } from './annotator-validation.ts';
export {
  ANNOTATOR_CMS_FILE,
  ANNOTATORS_MODEL_FILE,
  LABEL_ASSIGNMENT_FILE,
  resolveAnnotatorConfig,
  trainAnnotators,
  trueConfusionMatrices,
  type AnnotatorTrainEvent,
  type AnnotatorTrainOptions,
  type AnnotatorTrainResult,
} from './annotator-training.ts';
export {
  loadAnnotatorsModel,
  predictAnnotatorCms,
  predictAnnotatorDataset,
  type AnnotatorCms,
  type AnnotatorsModel,
  type PredictAnnotatorDatasetOptions,
} from './predict-annotators.ts';
export { runAnnotatorBench, type AnnotatorBenchOptions, type AnnotatorBenchResult } from './annotator-bench.ts';
