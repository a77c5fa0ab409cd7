export { FUSION_METHODS, fusionMethod } from './builtins.ts';
export { disagreementMap, type DisagreementMapOptions } from './disagreement-map.ts';
export { emptyFusion, foregroundEmpty } from './empty-fusion.ts';
export { fuseDataset, type FuseDatasetOptions, type FuseDatasetReport } from './fuse-dataset.ts';
export { fuseFiles, type FuseFilesOptions, type FuseRaterReport, type FuseReport } from './fuse-files.ts';
export type { FuseOptions, FusionMethod } from './fusion-method.ts';
export type { FusionMethodName, FusionResult, RaterPerformance } from './fusion-result.ts';
export { majorityVote, type MajorityVoteOptions } from './majority-vote.ts';
export { meanVote, type MeanVoteOptions, type MeanVoteResult } from './mean-vote.ts';
export { multiLabelStaple, type MultiLabelStapleOptions } from './multilabel-staple.ts';
export { spatialStaple, type SpatialStapleOptions } from './spatial-staple.ts';
export { staple, type StapleOptions } from './staple.ts';
export {
  stapleAcrossCases,
  type StapleAcrossCasesOptions,
  type StapleAcrossCasesResult,
} from './staple-across-cases.ts';
