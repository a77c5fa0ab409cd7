export {
  DATASET_FILE,
  datasetSchema,
  loadDataset,
  parseDataset,
  resolveCasePath,
  saveDataset,
  type Case,
  type CaseMeta,
  type Dataset,
  type LoadedDataset,
} from './dataset.ts';
