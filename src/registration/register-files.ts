/**
 * `register` on files: reads the fixed and moving images, registers (`register-pair.ts`), and writes the field
 * (a 4D NIfTI: the spatial grid of the fixed image with the displacement components along the 4th axis, in mm along
 * the voxel axes i, j[, k]; 2D images get a k axis of 1) and the moving labels warped onto the fixed grid. The
 * outputs are checked first (NIfTI names, none of them an input or each other, also through a link), before
 * anything is read; every input is read and checked before anything is written.
 */
import { loadRegistrationModel } from './learned-lazy.ts';
import { MultiraterError } from '../errors.ts';
import { assertNiftiOutput, assertOutputsDistinct, type NamedPath } from '../io/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { createVolume, formatShape, type Volume } from '../volume/index.ts';
import type { DisplacementField } from './displacement-field.ts';
import { fieldQuality, type FieldQuality } from './field-quality.ts';
import { registerPair, type RegisterPairOptions } from './register-pair.ts';
import { registrationModelFiles } from './registration-model-files.ts';
import { warpLabels, type LabelInterpolation } from './warp-volume.ts';

/** Options of `registerFiles` (`multirater register`): the method (`RegisterPairOptions`), the input files and the outputs. */
export interface RegisterFilesOptions extends Omit<RegisterPairOptions, 'model'> {
  /** Fixed image (2D or 3D NIfTI): the grid the field and the warped labels are on. */
  fixed: string;
  /** Moving image, on the same grid as `fixed`. */
  moving: string;
  /** Model folder, for 'learned'. */
  modelDir?: string;
  /** Field file to write (.nii, .nii.gz); `field`, or `warp` with `out`, or both. */
  field?: string;
  /** Label map on the moving grid to warp; needs `out`. */
  warp?: string;
  /** Warped label map to write (.nii, .nii.gz); needs `warp`. */
  out?: string;
  /** Label interpolation; default 'linear'. */
  interpolation?: LabelInterpolation;
  /** ONNX Runtime threads for 'learned'. */
  threads?: number;
}

/** What `registerFiles` did (what `multirater register --json` prints). */
export interface RegisterFilesReport {
  /** The registration method run. */
  method: string;
  /** The fixed image's shape, voxels. */
  shape: number[];
  /** Registration seconds (reading, model loading and writing not included). */
  seconds: number;
  /** The field's folding fraction, Jacobian range and displacement lengths (mm). */
  quality: FieldQuality;
  /** The field file written, or null when none was asked for. */
  field: string | null;
  /** The warped label map written, or null when none was asked for. */
  out: string | null;
}

/** The field as a 4D volume: components along the 4th axis, on the fixed image's grid. */
export function fieldVolume(field: DisplacementField, like: Volume): Volume<Float32Array> {
  const spatial = [field.shape[0], field.shape[1], field.shape[2] ?? 1];
  const n = spatial[0] * spatial[1] * spatial[2];
  const data = new Float32Array(n * field.components.length);
  field.components.forEach((c, a) => data.set(c, a * n));
  const spacing = [like.spacing[0], like.spacing[1], like.spacing[2] ?? 1, 1];
  return createVolume([...spatial, field.components.length], data, { spacing, affine: like.affine });
}

function readImage(path: string, role: string): Volume {
  const v = readVolume(path, { maxDims: 3 });
  if (v.shape.length < 2)
    throw new MultiraterError('dimension_mismatch', `${path}: ${role} must be 2D or 3D, got ${formatShape(v.shape)}`);
  return v;
}

/** Throws unless `o` asks for an output, each a NIfTI path that is neither an input nor the other output. */
function assertOutputs(o: RegisterFilesOptions): void {
  if ((o.warp === undefined) !== (o.out === undefined))
    throw new MultiraterError('option_conflict', 'options.warp and options.out go together');
  if (o.field === undefined && o.out === undefined)
    throw new MultiraterError(
      'invalid_argument',
      'register needs options.field and/or options.warp with options.out (it would write nothing)',
    );
  const outputs: NamedPath[] = [];
  if (o.field !== undefined) outputs.push(['options.field', o.field]);
  if (o.out !== undefined) outputs.push(['options.out', o.out]);
  for (const [role, path] of outputs) assertNiftiOutput(role, path);
  const model = o.modelDir === undefined ? [] : registrationModelFiles(o.modelDir);
  assertOutputsDistinct(outputs, [o.fixed, o.moving, ...(o.warp === undefined ? [] : [o.warp]), ...model]);
}

/** Registers the files of `o` and writes what it asks for; see the file comment. */
export async function registerFiles(o: RegisterFilesOptions): Promise<RegisterFilesReport> {
  assertOutputs(o);
  const fixed = readImage(o.fixed, 'fixed image');
  const moving = readImage(o.moving, 'moving image');
  assertSameGrid(moving, o.moving, fixed, o.fixed);
  const labels = o.warp !== undefined ? readLabelMap(o.warp) : null;
  if (labels) assertSameGrid(labels, o.warp as string, moving, o.moving);
  if (o.method === 'learned' && o.modelDir === undefined)
    throw new MultiraterError('invalid_argument', 'learned registration needs options.modelDir');
  // The neural engine (and ONNX Runtime) is loaded only for a learned run.
  const model = o.method === 'learned' ? await loadRegistrationModel(o.modelDir as string, o.threads) : undefined;
  const started = performance.now();
  try {
    const field = await registerPair(fixed, moving, { ...o, model });
    const seconds = (performance.now() - started) / 1000;
    if (o.field !== undefined) writeNifti(o.field, fieldVolume(field, fixed));
    if (labels && o.out !== undefined)
      writeNifti(o.out, { ...warpLabels(labels, field, o.interpolation ?? 'linear', o.warp), affine: fixed.affine });
    return {
      method: o.method,
      shape: [...fixed.shape],
      seconds,
      quality: fieldQuality(field),
      field: o.field ?? null,
      out: o.out ?? null,
    };
  } finally {
    await model?.session.release();
  }
}
