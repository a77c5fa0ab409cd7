/** Deformable registration: diffeomorphic demons, learned (VoxelMorph-style) registration, warping, label propagation. */
export { cineSubjects, caseFrameIndex, type CineFrameCase, type CineSubject } from './cine-subjects.ts';
export { composeFields, composeInto, exponentialField, exponentialInto, type FieldPadding } from './compose-fields.ts';
export { demons, type DemonsLevel, type DemonsResult } from './demons.ts';
export {
  resolveDemonsOptions,
  type DemonsGradient,
  type DemonsOptions,
  type ResolvedDemonsOptions,
} from './demons-options.ts';
export { cloneField, grid3, zeroField, type DisplacementField, type Grid3 } from './displacement-field.ts';
export { fieldQuality, jacobianDeterminant, type FieldQuality } from './field-quality.ts';
export { labelDice } from './label-dice.ts';
export type { LearnedRegistrationConfig } from './learned-model.ts';
export type { RegistrationModel, TrainRegistrationOptions, TrainRegistrationResult } from './learned-registration.ts';
export { loadRegistrationModel, registerLearned, trainRegistration } from './learned-lazy.ts';
export { loadCineSubjects, propagateLabels, PROPAGATED_RATER } from './datasets-lazy.ts';
export type { PropagatedFrame, PropagateOptions, PropagateResult } from './propagate.ts';
export { fieldVolume, registerFiles, type RegisterFilesOptions, type RegisterFilesReport } from './register-files.ts';
export {
  registerPair,
  REGISTRATION_METHODS,
  type RegisterPairOptions,
  type RegistrationMethod,
} from './register-pair.ts';
export { stackSliceFields, warpImage, warpLabels, type LabelInterpolation } from './warp-volume.ts';
