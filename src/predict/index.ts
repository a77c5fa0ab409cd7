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
export { argmaxLabels, predictEnsembleDataset, type PredictEnsembleDatasetOptions } from './predict-ensemble.ts';
export { checkDatasetPrediction } from './predict.ts';
export { predictImageCases, type PredictImageCasesOptions } from './predict-image-cases.ts';
export { selectImageCases, type ImageCases, type SelectImageCasesOptions } from './select-image-cases.ts';
