/**
 * A BraTS-style brain mask: whole numbers stored as 32-bit integers with a tiny `scl_slope`, so the scaled
 * values are 0.9999999997… rather than 1. Written as uncompressed NIfTI-1 with the slope patched into the header.
 */
import { writeFileSync } from 'node:fs';
import { encodeNifti } from '../src/io/write-nifti.ts';
import { createVolume } from '../src/volume/volume.ts';

/** 2^-32, the slope such files carry (as float32: 2.3283064e-10). */
export const BRATS_SLOPE = 2 ** -32;

/** Writes `raw` (stored values) on `shape` with `scl_slope` = `slope` to `path` (.nii). */
export function writeScaledMask(
  path: string,
  shape: number[],
  raw: Uint32Array | Int32Array,
  slope = BRATS_SLOPE,
): void {
  const bytes = encodeNifti(createVolume(shape, raw));
  new DataView(bytes.buffer).setFloat32(112, slope, true);
  writeFileSync(path, bytes);
}
