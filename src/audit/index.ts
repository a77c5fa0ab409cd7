export { auditCsv, runAudit, type AuditedCase, type AuditEvent, type AuditOptions, type AuditResult } from './audit.ts';
export { assignFolds } from './folds.ts';
export {
  addThresholdSums,
  classThresholds,
  emptyThresholdSums,
  REGION_CODES,
  selfConfidence,
  softminScore,
  suspiciousRegions,
  type RegionKind,
  type SuspiciousRegion,
  type SuspiciousRegionsOptions,
  type ThresholdSums,
} from './label-scores.ts';
export {
  departureRegions,
  raterAgreement,
  type RatedCase,
  type RaterDeparture,
  type RaterReliability,
} from './rater-agreement.ts';
