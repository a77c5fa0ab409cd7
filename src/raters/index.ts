export { applyRater, type RaterModel, type RaterStep } from './apply-rater.ts';
export { CARDIAC_REGIONS, regionMask, separateRegions, type LabelRegion } from './label-regions.ts';
export { shiftBoundary, type ShiftBoundaryOptions } from './shift-boundary.ts';
export { displaceLabels, type DisplaceLabelsOptions } from './displace-labels.ts';
export { polygonDelineation, traceContours, type PolygonDelineationOptions } from './polygon-delineation.ts';
export {
  labelledSlices,
  omitSlices,
  skipSlices,
  type OmitSlicesOptions,
  type SkipSlicesOptions,
} from './slice-edits.ts';
export {
  growInto,
  relabelDark,
  resolveLevel,
  type GrowIntoOptions,
  type IntensityLevel,
  type RelabelDarkOptions,
  type SliceRange,
} from './intensity-edits.ts';
export { fractureStrokes, type FractureOptions } from './fracture-strokes.ts';
export {
  CARDIAC_RATERS,
  HEADNECK_RATERS,
  MNIST_HARSH_RATERS,
  MNIST_RATERS,
  expertStyles,
  type ExpertStylesOptions,
} from './rater-models.ts';
export { confusionCounts, confusionMatrix, type ConfusionCounts, type ConfusionMatrix } from './confusion-matrix.ts';
export {
  CARDIAC_RANDOM_ERROR_RATERS,
  placeRandomErrors,
  randomErrorRater,
  type RandomErrorOptions,
  type RandomErrorRaterModel,
  type RandomErrorResult,
  type RandomErrorStructure,
} from './random-error-rater.ts';
export { noisyRatioRaters, type NoisyRatioOptions, type NoisyRatioRater } from './noisy-ratio.ts';
export { assignSplits, DatasetWriter } from './dataset-writer.ts';
export { type SimulateCommonOptions, type SimulateResult } from './simulate-result.ts';
export { CARDIAC_DEFAULT_RATERS, simulateCardiacDataset, type SimulateCardiacOptions } from './simulate-cardiac.ts';
export {
  MNIST_DEFAULT_RATERS,
  MNIST_HARSH_DEFAULT_RATERS,
  simulateMnistDataset,
  type MnistAnnotators,
  type SimulateMnistOptions,
} from './simulate-mnist.ts';
export { HEADNECK_DEFAULT_RATERS, simulateHeadneckDataset, type SimulateHeadneckOptions } from './simulate-headneck.ts';
export { BRAINGROWTH_RATERS } from './braingrowth-raters.ts';
export { simulateBraingrowthDataset, type SimulateBraingrowthOptions } from './simulate-braingrowth.ts';
export { siblingModule } from './run-in-workers.ts';
