export {
  STAPLE_ACROSS_RATER,
  stapleAcrossDataset,
  type StapleAcrossDatasetOptions,
  type StapleAcrossDatasetResult,
} from './staple-across-dataset.ts';
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
export { chooseTrainer, type ChooseTrainerOptions, type TrainerKind } from './choose-trainer.ts';
export { AnnotatorValidator, majorityReference, type AnnotatorValidation } from './annotator-validation.ts';
export {
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
  checkAnnotatorDatasetPrediction,
  type AnnotatorCms,
  type AnnotatorsModel,
  type PredictAnnotatorDatasetOptions,
} from './predict-annotators.ts';
export {
  ANNOTATOR_CMS_FILE,
  annotatorCmsSchema,
  readAnnotatorCms,
  readAnnotatorCmsRecord,
  type AnnotatorCmsFile,
  type AnnotatorCmsRecord,
  type CmEstimateSplit,
} from './annotator-cms.ts';
