export {
  OPTIMIZER_NAMES,
  resolveTrainConfig,
  roundUp,
  SCHEDULE_NAMES,
  TRAIN_DEFAULTS,
  type OptimizerName,
  type ScheduleName,
  type TrainConfig,
  type TrainOptions,
} from './train-config.ts';
export {
  buildLossGraph,
  evaluationModel,
  EXPERT_FEED,
  IMAGE_FEED,
  imageShape,
  inferenceModel,
  LABEL_FEED,
  PROBABILITIES_OUTPUT,
} from './model-graphs.ts';
export {
  expertFeed,
  expertFeeds,
  loadExpertCases,
  type ExpertCases,
  type LoadExpertCasesOptions,
} from './multi-expert.ts';
export {
  finetune,
  FINETUNE_FILE,
  FINETUNE_ITERATIONS,
  trainingImageIds,
  type FinetuneOptions,
  type FinetuneRecord,
} from './finetune.ts';
export { countArgmax, EvaluationSessions, pooledDice, Validator, type ValidationResult } from './validate.ts';
export {
  bestFileName,
  CHECKPOINT_DIR,
  loadRunState,
  saveRunState,
  type RunStateCore,
  type TrainerState,
  type ValidationRecord,
} from './run-state.ts';
export {
  CONFIG_FILE,
  LOG_FILE,
  makeOptimizer,
  makeSchedule,
  MODEL_FILE,
  train,
  type TrainEvent,
  type TrainResult,
} from './trainer.ts';
export { formatDuration, progressReporter, type ProgressOptions, type ProgressStream } from './progress.ts';
export { bestName } from './run-state.ts';
export { resumeRun } from './run-state.ts';
export { settingsFingerprint } from './trainer.ts';
export {
  runTrainingLoop,
  type TrainingLoopCheckpoint,
  type TrainingLoopEvent,
  type TrainingLoopOptions,
  type TrainingLoopProgress,
  type TrainingLoopResult,
  type TrainingLoopValidation,
  type TrainingStepEvent,
} from './training-loop.ts';
