export {
  caseMetaSchema,
  caseSchema,
  DATASET_FILE,
  datasetFile,
  datasetSchema,
  formatSchemaIssue,
  loadDataset,
  parseDataset,
  readDatasetJson,
  resolveCasePath,
  saveDataset,
  validateDataset,
  type Case,
  type CaseMeta,
  type Dataset,
  type DatasetSchemaIssue,
  type LoadedDataset,
  type Split,
} from './dataset.ts';
export { casePaths, mapCasePaths, type CasePath, type CasePathRole } from './case-paths.ts';
export { datasetRoots, derivedSource } from './dataset-roots.ts';
export { applyCasePattern, matchCasePattern, parseCasePattern, type CasePattern } from './case-pattern.ts';
export type { DatasetLayout, LayoutName, LayoutOptions } from './layout.ts';
export { DATASET_LAYOUTS, getLayout } from './layouts.ts';
export { ACDC_LABELS, loadAcdc, parseInfoCfg } from './acdc.ts';
export { MNMS_LABELS, loadMnms, parseMnmsCsv, type MnmsSubjectInfo } from './mnms.ts';
export { loadQubiq } from './qubiq.ts';
export { loadNnunet, nnunetLabels, type NnunetJson } from './nnunet.ts';
export { loadFolders } from './folders.ts';
export { importDataset, type ImportDatasetOptions, type ImportDatasetResult } from './import-dataset.ts';
export {
  checkDataset,
  checkDatasetFiles,
  type CheckDatasetFilesOptions,
  type CheckDatasetOptions,
  type DatasetCheckReport,
  type DatasetFilesCheck,
  type DatasetProblem,
} from './check-dataset.ts';
export { summariseVolume, type VolumeSummary } from './volume-summary.ts';
export { datasetInputs } from './case-paths.ts';
export { isFile } from './source-tree.ts';
export { readCaseIds } from './read-case-ids.ts';
