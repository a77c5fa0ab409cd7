/**
 * The files of a learned registration model folder, named apart from `learned-registration.ts` (which writes and
 * reads them) so that checking a `register` run's outputs against them does not load the neural engine.
 */
import { join } from 'node:path';

/** The model's configuration (`LearnedRegistrationConfig`, JSON). */
export const REGISTRATION_CONFIG_FILE = 'registration.json';
/** The forward graph, runnable by any ONNX runtime. */
export const REGISTRATION_ONNX_FILE = 'model.onnx';

/** Paths of every file of the model folder `dir`. */
export function registrationModelFiles(dir: string): string[] {
  return [REGISTRATION_ONNX_FILE, REGISTRATION_CONFIG_FILE].map((f) => join(dir, f));
}
