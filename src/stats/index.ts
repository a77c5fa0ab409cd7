export {
  detectableDifference,
  groupSizeToDetect,
  type DetectableDifferenceOptions,
  type GroupSizeToDetectOptions,
} from './detectable-difference.ts';
export { normalCdf, normalTwoSided, studentTCdf, studentTQuantile, studentTTwoSided } from './distributions.ts';
export { holmAdjust } from './holm.ts';
export { logGamma, regularizedIncompleteBeta, regularizedUpperGamma } from './special-functions.ts';
export { percentiles } from './percentiles.ts';
export { rocAuc } from './roc-auc.ts';
export { quantileSorted, summarize, type Summary } from './summary.ts';
export { pairedTTest, welchTTest, type TTestResult } from './t-test.ts';
export { wilcoxonSignedRank, type WilcoxonOptions, type WilcoxonResult } from './wilcoxon.ts';
