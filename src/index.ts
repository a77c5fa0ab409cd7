/**
 * multirater's public API, tier one: the task-level functions (one per `multirater` command, in the order of the data
 * flow), their option and result types, and the name lists a caller needs to pass valid options. Each folder's
 * index.ts names its exports; this file re-exports a chosen few by name, one block per concept. The building blocks
 * (volume operations, readers, phantoms, rater models, the engine, statistics, report tables, jobs …) are the
 * subpaths `multirater/<folder>` listed in package.json's `exports`.
 *
 * @packageDocumentation
 */

// Errors: every library error is a MultiraterError with a machine-readable code.
export { MultiraterError, isMultiraterError, type MultiraterErrorCode } from './errors.ts';

// Images: a Volume is a typed array with its grid; read and write NIfTI, NRRD and PNG (`multirater info`).
export {
  createVolume,
  type Affine,
  type CreateVolumeOptions,
  type DType,
  type Volume,
  type VoxelArray,
} from './volume/index.ts';
export {
  describeImage,
  readLabelMap,
  readNifti,
  readNrrd,
  readVolume,
  writeNifti,
  type ImageDescription,
  type NiftiImage,
  type NrrdImage,
  type ReadVolumeOptions,
  type WriteNiftiOptions,
} from './io/index.ts';
export { writePng, type RgbImage } from './report/index.ts';

// Datasets: dataset.json manifests, importers by layout, checks (`multirater dataset import|check`).
export {
  checkDataset,
  DATASET_FILE,
  DATASET_LAYOUTS,
  importDataset,
  loadDataset,
  saveDataset,
  type Case,
  type CaseMeta,
  type CheckDatasetOptions,
  type Dataset,
  type DatasetCheckReport,
  type DatasetProblem,
  type ImportDatasetOptions,
  type ImportDatasetResult,
  type LayoutName,
  type LoadedDataset,
  type Split,
} from './datasets/index.ts';

// Simulation: phantom datasets with simulated raters (`multirater simulate`); the rater names each kind knows.
export {
  BRAINGROWTH_RATERS,
  CARDIAC_DEFAULT_RATERS,
  CARDIAC_RATERS,
  HEADNECK_DEFAULT_RATERS,
  HEADNECK_RATERS,
  MNIST_DEFAULT_RATERS,
  MNIST_HARSH_DEFAULT_RATERS,
  MNIST_HARSH_RATERS,
  MNIST_RATERS,
  simulateBraingrowthDataset,
  simulateCardiacDataset,
  simulateHeadneckDataset,
  simulateMnistDataset,
  type MnistAnnotators,
  type SimulateBraingrowthOptions,
  type SimulateCardiacOptions,
  type SimulateCommonOptions,
  type SimulateHeadneckOptions,
  type SimulateMnistOptions,
  type SimulateResult,
} from './raters/index.ts';
export { CARDIAC_GROUPS, CARDIAC_VENDORS, type CardiacGroup, type CardiacVendor } from './phantom/index.ts';

// Fusion: raters' label maps → one label map and per-rater performance (`multirater fuse`).
export {
  FUSION_METHODS,
  fuseDataset,
  fuseFiles,
  majorityVote,
  meanVote,
  multiLabelStaple,
  spatialStaple,
  staple,
  type FuseDatasetOptions,
  type FuseDatasetReport,
  type FuseFilesOptions,
  type FuseOptions,
  type FuseReport,
  type FusionMethodName,
  type FusionResult,
  type MajorityVoteOptions,
  type MeanVoteOptions,
  type MeanVoteResult,
  type MultiLabelStapleOptions,
  type RaterPerformance,
  type SpatialStapleOptions,
  type StapleOptions,
} from './fusion/index.ts';

// Evaluation: overlap, surface and clinical metrics of a pair, a folder or a dataset; comparing two evaluations
// (`multirater eval`, `multirater compare`).
export {
  CARDIAC_INDEX_NAMES,
  evaluateFiles,
  evaluatePair,
  METRIC_NAMES,
  type EvaluatePairOptions,
  type LabelMetrics,
  type MetricName,
  type PairEvaluation,
} from './metrics/index.ts';
export {
  compareEvaluations,
  evaluateConfusionMatrices,
  evaluateDataset,
  readEvaluation,
  writeEvaluationCsv,
  type CaseEvaluation,
  type CompareOptions,
  type ConfusionMatrixEvaluation,
  type DatasetEvaluation,
  type EvaluateConfusionMatricesOptions,
  type EvaluateDatasetOptions,
  type EvaluationComparison,
  type MetricComparison,
} from './evaluation/index.ts';

// Models: the built-in networks by name, their normalisation kinds (`multirater model`).
export {
  BUILTIN_MODELS,
  modelInfo,
  NORM_KINDS,
  type ModelInfo,
  type ModelOptions,
  type NormKind,
} from './models/index.ts';

// Training: one-rater, fused or multi-expert training, fine-tuning to a new expert, and the option name lists
// (`multirater train`, `multirater finetune`).
export { LOSS_NAMES, type LossName } from './losses/index.ts';
export {
  finetune,
  OPTIMIZER_NAMES,
  progressReporter,
  SCHEDULE_NAMES,
  train,
  TRAIN_DEFAULTS,
  type FinetuneOptions,
  type FinetuneRecord,
  type OptimizerName,
  type ProgressOptions,
  type ScheduleName,
  type TrainConfig,
  type TrainEvent,
  type TrainOptions,
  type TrainResult,
} from './train/index.ts';

// Annotators: the annotator-confusion-matrix method: which trainer the options choose, its training, its prediction,
// and the annotator-cms.json it writes (`multirater train --method annotators`).
export {
  chooseTrainer,
  loadAnnotatorsModel,
  predictAnnotatorCms,
  predictAnnotatorDataset,
  readAnnotatorCms,
  trainAnnotators,
  type AnnotatorCms as PredictedAnnotatorCms,
  type AnnotatorCmsFile,
  type AnnotatorsModel,
  type AnnotatorTrainEvent,
  type AnnotatorTrainOptions,
  type AnnotatorTrainResult,
  type ChooseTrainerOptions,
  type PredictAnnotatorDatasetOptions,
  type TrainerKind,
} from './annotators/index.ts';

// Prediction: a trained model over a volume, a file, a dataset, or an ensemble over a dataset (`multirater predict`).
export {
  loadTrainedModel,
  predictDataset,
  predictEnsembleDataset,
  predictFile,
  predictVolume,
  type PredictDatasetOptions,
  type PredictEnsembleDatasetOptions,
  type PredictFileOptions,
  type PredictOptions,
  type TrainedModel,
} from './predict/index.ts';

// Registration: demons or learned registration of a pair, warping, propagating labels through a cine
// (`multirater register`, `multirater register train`, `multirater propagate`).
export {
  loadRegistrationModel,
  propagateLabels,
  registerFiles,
  registerLearned,
  registerPair,
  REGISTRATION_METHODS,
  trainRegistration,
  warpImage,
  warpLabels,
  type DisplacementField,
  type PropagatedFrame,
  type PropagateOptions,
  type PropagateResult,
  type RegisterFilesOptions,
  type RegisterFilesReport,
  type RegisterPairOptions,
  type RegistrationMethod,
  type RegistrationModel,
  type TrainRegistrationOptions,
  type TrainRegistrationResult,
} from './registration/index.ts';

// Audit: label issues from out-of-fold probabilities, case and region scores, rater departures (`multirater audit`).
export {
  auditCsv,
  runAudit,
  type AuditedCase,
  type AuditEvent,
  type AuditOptions,
  type AuditResult,
} from './audit/index.ts';

// Studies: plan, run (locally or on a queue), follow and report one of the built-in studies, and the queue worker
// (`multirater study plan|run|status|report`, `multirater worker`). The studies themselves are in
// `multirater/experiments`.
export {
  BUILTIN_STUDIES,
  getStudy,
  loadStudyPlan,
  planStudy,
  PRESET_NAMES,
  runQueueWorker,
  runStudy,
  studyStatus,
  writeStudyReport,
  type PresetName,
  type QueueWorkerOptions,
  type RunStudyOptions,
  type RunStudyResult,
  type Study,
  type StudyPlan,
  type StudyPlanOptions,
  type StudyStatus,
  type WriteStudyReportOptions,
} from './experiments/index.ts';

// Demo: a small end-to-end run on simulated data (`multirater demo`).
export { runDemo, type DemoOptions, type DemoResult, type DemoRow } from './experiments/index.ts';

// Overlays: label maps drawn over image slices, as PNG figures (`multirater overlay`).
export {
  overlayFigure,
  sliceOverlay,
  writeOverlayFigure,
  type OverlayFigure,
  type OverlayFigureOptions,
  type SliceAxis,
  type SliceOverlayOptions,
  type WriteOverlayFigureOptions,
  type WriteOverlayFigureResult,
} from './report/index.ts';

// Viewer: the local web viewer of a dataset with predictions, fusions and models, and its screenshots
// (`multirater view`).
export {
  screenshotView,
  startViewer,
  viewCatalog,
  type ScreenshotViewOptions,
  type ScreenshotViewResult,
  type ViewCatalog,
  type ViewCatalogOptions,
  type ViewerOptions,
  type ViewerServer,
} from './view/index.ts';

/** The neural engine (graphs of ONNX operators, autodiff, optimisers, ONNX Runtime sessions), as one namespace. */
import * as nn from './nn/index.ts';
export { nn };
