/** End-to-end experiments built from the library: the demo, and studies as resumable graphs of jobs. */
export { demoTable, FULL_STUDY_COMMAND, runDemo, type DemoOptions, type DemoResult, type DemoRow } from './demo.ts';
export {
  canonicalJson,
  isDone,
  jobDir,
  jobId,
  makeJob,
  parseJob,
  readDone,
  readJobRecords,
  topologicalOrder,
  type Job,
  type JobDone,
  type JobRecords,
  type JsonValue,
  type SpecCheck,
} from './job.ts';
export { datasetInput, needDir, needPath, needResult, type JobContext, type JobKind } from './job-kind.ts';
export { BUILTIN_JOB_KINDS, getJobKind } from './jobs/builtins.ts';
export { executeJob, type ExecuteJobOptions, type ExecuteJobResult } from './execute-job.ts';
export { runJobs, threadsPerWorker, type FailedJob, type RunJobsOptions, type RunJobsResult } from './runner.ts';
export { runJobsOnQueue, type QueueOptions, type RunOnQueueOptions } from './queue.ts';
export { runQueueWorker, type QueueWorkerOptions } from './queue-worker.ts';
export {
  PRESET_NAMES,
  reportHeader,
  type FinishedStudy,
  type JsonOf,
  type PresetName,
  type Study,
  type StudyPlan,
  type StudyPlanOptions,
} from './study.ts';
export { BUILTIN_STUDIES, getStudy } from './studies/builtins.ts';
export {
  NONEXPERT_PRESETS,
  nonexpertStudy,
  nonexpertSettingsSchema,
  planNonexpert,
  type NonexpertArm,
  type NonexpertSettings,
} from './studies/nonexpert.ts';
export {
  PROPAGATION_PRESETS,
  planPropagation,
  propagationSettingsSchema,
  propagationStudy,
  type PropagationMethod,
  type PropagationSettings,
} from './studies/propagation.ts';
export {
  ANNOTATORS_PRESETS,
  annotatorsSettingsSchema,
  annotatorsStudy,
  planAnnotators,
  type AnnotatorsSettings,
  type Regime,
} from './studies/annotators.ts';
export {
  EXPERT_ADAPTATION_PRESETS,
  expertAdaptationSettingsSchema,
  expertAdaptationStudy,
  planExpertAdaptation,
  type ExpertAdaptationSettings,
  type FinetuneMode,
} from './studies/expert-adaptation.ts';
export {
  NOISY_RATIO_PRESETS,
  noisyRatioSettingsSchema,
  noisyRatioStudy,
  planNoisyRatio,
  type HeadneckGeometry,
  type NoisyRatioSettings,
} from './studies/noisy-ratio.ts';
export {
  evaluationRecords,
  finishedRecords,
  type CaseRecord,
  type EvaluationRecords,
  type SubjectRecord,
  type Tags,
} from './evaluation-records.ts';
export type { StudyLock } from './study-lock.ts';
export {
  loadStudyPlan,
  planStudy,
  runStudy,
  studyStatus,
  writeStudyReport,
  type RunStudyOptions,
  type RunStudyResult,
  type StudyStatus,
  type UnfinishedJob,
  type WriteStudyReportOptions,
} from './run-study.ts';
