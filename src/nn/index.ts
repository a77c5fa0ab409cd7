/** The neural engine's public surface (see README.md in this folder). */
export { grad } from './autodiff.ts';
export { MODEL_FILE, readCheckpoint, STATE_FILE, writeCheckpoint, type CheckpointData } from './checkpoint.ts';
export { confusionProduct } from './confusion-product.ts';
export {
  abs,
  add,
  and,
  averagePool,
  batchNormInference,
  batchNormTraining,
  cast,
  clip,
  concat,
  conv,
  convTranspose,
  div,
  dropout,
  elu,
  equal,
  exp,
  expand,
  expandLike,
  flatten,
  floor,
  gather,
  gatherElements,
  gemm,
  globalAveragePool,
  greater,
  identity,
  instanceNorm,
  leakyRelu,
  less,
  log,
  logSoftmax,
  matmul,
  max,
  maxPool,
  maxPoolWithIndices,
  maxUnpool,
  min,
  mul,
  neg,
  not,
  pad,
  pow,
  prelu,
  reduceMax,
  reduceMean,
  reduceSum,
  relu,
  reshape,
  reshapeLike,
  resize,
  scalarLike,
  scatterElements,
  sigmoid,
  sign,
  slice,
  softmax,
  split,
  sqrt,
  squeeze,
  sub,
  sumTo,
  tanh,
  transpose,
  unsqueeze,
  where,
  type ConvOptions,
  type ConvTransposeOptions,
  type GemmOptions,
  type PadOptions,
  type PoolOptions,
  type ResizeOptions,
} from './functional.ts';
export {
  checkGradients,
  type CheckedInput,
  type GradCheckOptions,
  type GradCheckResult,
  type InputKind,
} from './gradcheck.ts';
export { Graph, tensorOf, Value, type Node, type Param } from './graph.ts';
export {
  fans,
  heNormal,
  heUniform,
  initParams,
  ones,
  sample,
  torchBias,
  torchWeight,
  xavierNormal,
  xavierUniform,
  zeros,
  type Initializer,
} from './init.ts';
export {
  batchNormLayer,
  conditionalInstanceNormLayer,
  convLayer,
  convTransposeLayer,
  instanceNormLayer,
  linearLayer,
  type ConvLayerOptions,
  type LinearLayerOptions,
  type NormLayerOptions,
} from './layers.ts';
export {
  crossEntropy,
  crossEntropyDice,
  meanAbsoluteError,
  meanAbsoluteErrorDice,
  oneHot,
  softDice,
  type SoftDiceOptions,
} from './losses.ts';
export { conditionalInstanceNorm, groupNorm, layerNorm } from './normalization.ts';
export { IR_VERSION, OPSET, readOnnxModel, toOnnxModel, type ExportOptions } from './onnx.ts';
export {
  chooseWeightGradLowering,
  convInputGrad,
  convWeightGrad,
  type ConvGeometry,
  type WeightGradLowering,
} from './ops/conv-grad.ts';
export { builtinOps } from './ops/builtins.ts';
export type { AttrKind, Attrs, AttrValue, OnnxEmitter, OpDef, ValueType } from './ops/types.ts';
export {
  adam,
  adamW,
  clipByGlobalNorm,
  radam,
  sgd,
  type AdamOptions,
  type Optimizer,
  type SgdOptions,
  type StepScalars,
} from './optimizers.ts';
export { deriveSeed, Prng } from './prng.ts';
export { runGraph, type RunGraphOptions } from './run-graph.ts';
export { constantLr, cosineLr, plateauLr, polynomialLr, stepLr, type PlateauOptions } from './schedules.ts';
export { cgroupCpuQuota, physicalCores, usableCpus } from '../cores.ts';
export { Session, SessionCache, shapeSignature, type SessionOptions } from './session.ts';
export { broadcastShapes, type DType, type Dim, type Shape } from './shape.ts';
export { float32, int64, type TensorData, type TypedData } from './tensor.ts';
export { scalingAndSquaring, warp2d, warp3d } from './warp.ts';
export {
  buildTrainStep,
  LOSS_OUTPUT,
  LR_FEED,
  STEP_FEED,
  type TrainStepModel,
  type TrainStepOptions,
} from './train-step.ts';
export { TrainingSession, type StepResult, type TrainingSessionOptions } from './training-session.ts';
export * as F from './functional.ts';
