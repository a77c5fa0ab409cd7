export {
  benchNetwork,
  benchUnet,
  runBench,
  type BenchOptions,
  type BenchResult,
  type NetworkBenchSpec,
  type NetworkBenchTimes,
} from './bench.ts';
export { runAnnotatorBench, type AnnotatorBenchOptions, type AnnotatorBenchResult } from './annotator-bench.ts';
export { benchModel, type ModelBenchOptions, type ModelBenchResult } from './model-bench.ts';
export {
  CALIBRATION_SCHEDULE,
  calibrationFile,
  calibrationSchedule,
  MIN_CALIBRATION_STEPS,
  ESTIMATE_METHOD_LABELS,
  estimateStudy,
  formatWall,
  perStepTimings,
  type CalibrationEntry,
  type CalibrationSchedule,
  type EstimateEvent,
  type EstimateMethod,
  type EstimateStudyOptions,
  type JobEstimate,
  type KindEstimate,
  type PerStepTimings,
  type StudyEstimate,
} from './estimate-study.ts';
export {
  costSpec,
  jobCostClasses,
  TRAINING_KINDS,
  trainingSchedule,
  type TrainingCostFields,
  type TrainingSchedule,
} from './job-cost-class.ts';
export { listSchedule, type ListScheduleResult, type ScheduledJob } from './list-schedule.ts';
