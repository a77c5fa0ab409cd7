/**
 * One registration by any method: `moving` onto `fixed` (same grid), giving the field on the fixed grid.
 * 'identity' is the zero field (copying labels unchanged, the baseline of propagation); 'demons' runs in 3D or,
 * with `dims: 2`, on every slice of a 3D pair (thick-slice cine); 'learned' runs a trained model (its own dims).
 */
import { registerLearned } from './learned-lazy.ts';
import { MultiraterError } from '../errors.ts';
import { extractSlice } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { demons } from './demons.ts';
import type { DemonsOptions } from './demons-options.ts';
import { zeroField, type DisplacementField } from './displacement-field.ts';
import type { RegistrationModel } from './learned-registration.ts';
import { stackSliceFields } from './warp-volume.ts';

/** How a pair is registered: the zero field ('identity'), diffeomorphic demons, or a trained model ('learned'). */
export type RegistrationMethod = 'identity' | 'demons' | 'learned';
/** Every `RegistrationMethod`, as `registerPair` lists them when it refuses an unknown one. */
export const REGISTRATION_METHODS: readonly RegistrationMethod[] = ['identity', 'demons', 'learned'];

/** Options of `registerPair`: the method and its settings. */
export interface RegisterPairOptions {
  /** The registration method (see the file comment). */
  method: RegistrationMethod;
  /** Demons on 3D images: 2 = slice by slice (in-plane motion only), 3 = whole volume; default the image's dims. */
  dims?: 2 | 3;
  /** Demons settings (ITK's defaults otherwise). */
  demons?: DemonsOptions;
  /** The trained model, for 'learned'. */
  model?: RegistrationModel;
}

/** Float32 copy of a 2D slice, keeping its geometry. */
function floatSlice(v: Volume, k: number): Volume {
  const s = extractSlice(v, { index: k });
  return createVolume(s.shape, Float32Array.from(s.data), { spacing: s.spacing, affine: s.affine });
}

/** The field registering `moving` onto `fixed` by `options.method`. */
export async function registerPair(
  fixed: Volume,
  moving: Volume,
  options: RegisterPairOptions,
): Promise<DisplacementField> {
  switch (options.method) {
    case 'identity':
      return zeroField(fixed);
    case 'demons': {
      const dims = options.dims ?? (fixed.shape.length === 2 ? 2 : 3);
      if (dims === 3 || fixed.shape.length === 2) return demons(fixed, moving, options.demons).field;
      const slices = Array.from(
        { length: fixed.shape[2] },
        (_, k) => demons(floatSlice(fixed, k), floatSlice(moving, k), options.demons).field,
      );
      return stackSliceFields(slices, fixed);
    }
    case 'learned':
      if (!options.model)
        throw new MultiraterError('invalid_argument', 'learned registration needs a model (options.model)');
      // Loaded here only: a demons or identity run never pays for the neural engine.
      return registerLearned(options.model, fixed, moving);
    default:
      throw new MultiraterError(
        'unknown_name',
        `unknown registration method "${String(options.method)}" (expected ${REGISTRATION_METHODS.join(', ')})`,
      );
  }
}
