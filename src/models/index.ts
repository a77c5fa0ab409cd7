/** Segmentation networks buildable for 2D or 3D, and their registry; the registration network (VoxelMorph). */
export {
  annotatorHeads,
  finalLayerInput,
  IDENTITY_PROBABILITY,
  type AnnotatorCmOptions,
  type AnnotatorHeadContext,
} from './annotator-cm.ts';
export { attentionGate } from './attention-gate.ts';
export {
  activate,
  convNormAct,
  normLayer,
  type ActivationKind,
  type BlockContext,
  type ModelInputs,
  NORM_KINDS,
  type NormKind,
} from './blocks.ts';
export { BUILTIN_MODELS, getModel, type ModelOptions, type ModelSpec } from './builtins.ts';
export { enet, ENET_DIVISOR, type ENetOptions } from './enet.ts';
export { highResBlock, highres3dnet, type HighRes3DNetOptions } from './highres3dnet.ts';
export { modelInfo, type ModelInfo } from './model-info.ts';
export { RESNET18_UNET_DIVISOR, resnet18Unet, type ResNet18UNetOptions } from './resnet18-unet.ts';
export {
  resolveVoxelMorphOptions,
  voxelMorph,
  voxelMorphDivisor,
  type ResolvedVoxelMorphOptions,
  type VoxelMorphOptions,
  type VoxelMorphOutputs,
} from './voxelmorph.ts';
export { resolveUNetOptions, unet, unetDivisor, type ResolvedUNetOptions, type UNetOptions } from './unet.ts';
