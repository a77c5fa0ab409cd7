/**
 * The learned registration's entry points, loading `learned-registration.ts` (and with it the neural engine and ONNX
 * Runtime) on first call, so that importing `registration/` for demons, warping or propagation by demons loads none
 * of them (issue 25's module-loading test holds this for `register --method demons`).
 */
import type { DisplacementField } from './displacement-field.ts';
import type * as Learned from './learned-registration.ts';
import type { Volume } from '../volume/index.ts';

const learned = (): Promise<typeof Learned> => import('./learned-registration.ts');

/** Trains a learned (VoxelMorph-style) registration model on a cine dataset; see `learned-registration.ts`. */
export async function trainRegistration(
  dataDir: string,
  outDir: string,
  options: Learned.TrainRegistrationOptions = {},
): Promise<Learned.TrainRegistrationResult> {
  return (await learned()).trainRegistration(dataDir, outDir, options);
}

/** Loads a model folder written by `trainRegistration` into an inference session. */
export async function loadRegistrationModel(dir: string, threads?: number): Promise<Learned.RegistrationModel> {
  return (await learned()).loadRegistrationModel(dir, threads);
}

/** The displacement field (moving → fixed) a loaded model predicts for one pair. */
export async function registerLearned(
  model: Learned.RegistrationModel,
  fixed: Volume,
  moving: Volume,
): Promise<DisplacementField> {
  return (await learned()).registerLearned(model, fixed, moving);
}
