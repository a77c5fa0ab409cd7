export {
  annotatorCmLoss,
  annotatorDistributions,
  CM_LOSS_NAMES,
  meanLabelCrossEntropy,
  parseCmLossName,
  type AnnotatorCmLossOptions,
  type CmLossName,
} from './annotator-cm-loss.ts';
export { gradL2Loss, nccLoss, softDiceOverlapLoss } from './registration-losses.ts';
export {
  binaryCrossEntropy,
  buildLoss,
  sampleDice,
  generalizedCrossEntropy,
  LOSS_NAMES,
  parseLossName,
  weightedCrossEntropy,
  type LossName,
  type LossOptions,
} from './losses.ts';
