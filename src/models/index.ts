/** Segmentation networks buildable for 2D or 3D, and their registry; the registration network (VoxelMorph). */
export { attentionGate } from './attention-gate.ts';
export { activate, convNormAct, normLayer, type ActivationKind, type BlockContext, type NormKind } from './blocks.ts';
export { BUILTIN_MODELS, getModel, type ModelOptions, type ModelSpec } from './builtins.ts';
export { enet, ENET_DIVISOR, type ENetOptions } from './enet.ts';
export { modelInfo, type ModelInfo } from './model-info.ts';
export { resolveVoxelMorphOptions, voxelMorph, voxelMorphDivisor, type ResolvedVoxelMorphOptions, type VoxelMorphOptions, type VoxelMorphOutputs } from './voxelmorph.ts';
export { resolveUNetOptions, unet, unetDivisor, type ResolvedUNetOptions, type UNetOptions } from './unet.ts';
