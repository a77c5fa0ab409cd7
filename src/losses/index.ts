export {
  annotatorCmLoss,
  annotatorDistributions,
  meanLabelCrossEntropy,
  type AnnotatorCmLossOptions,
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
