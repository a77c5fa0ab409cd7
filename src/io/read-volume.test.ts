import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { isMultiraterError } from '../errors.ts';
import { createVolume } from '../volume/volume.ts';
import { imageFormat, readLabelMap, readVolume } from './read-volume.ts';
import { writeNifti } from './write-nifti.ts';
import { writeScaledMask } from '../../test/scaled-mask.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'multirater-readvol-'));

function errorOf(f: () => unknown): Error & { code: string } {
  try {
    f();
  } catch (e) {
    expect(isMultiraterError(e)).toBe(true);
    expect((e as Error).message).not.toContain('\n');
    return e as Error & { code: string };
  }
  throw new Error('expected an error');
}

describe('readLabelMap', () => {
  it('refuses a 4D image where a 3D label map is required, naming the file and its shape', () => {
    const path = join(tmp(), 'cine.nii.gz');
    writeNifti(path, createVolume([4, 3, 2, 5], new Uint8Array(120)));
    const e = errorOf(() => readLabelMap(path));
    expect(e.code).toBe('dimension_mismatch');
    expect(e.message).toBe(`${path}: 4D image (4×3×2×5), expected at most 3D`);
    expect(readVolume(path).shape).toEqual([4, 3, 2, 5]);
  });

  it('refuses the 4D fixture and accepts a 4D image whose last axis is a single frame', () => {
    expect(errorOf(() => readLabelMap(fixturePath('nifti', 'cine_f32_4d.nii.gz'))).code).toBe('dimension_mismatch');
    const path = join(tmp(), 'one-frame.nii');
    writeNifti(path, createVolume([2, 2, 2, 1], new Uint8Array(8).fill(3)));
    expect(readLabelMap(path).data[0]).toBe(3);
  });

  it('refuses float voxels that are not whole non-negative numbers', () => {
    const path = join(tmp(), 'prob.nii');
    writeNifti(path, createVolume([2, 1, 1], Float32Array.from([0, 0.5])));
    const e = errorOf(() => readLabelMap(path));
    expect(e.code).toBe('invalid_label');
    expect(e.message).toMatch(/whole non-negative values, found 0.5/);
  });

  it('accepts float voxels holding whole labels', () => {
    const path = join(tmp(), 'float-labels.nii');
    writeNifti(path, createVolume([3, 1, 1], Float32Array.from([0, 1, 2])));
    expect(Array.from(readLabelMap(path).data)).toEqual([0, 1, 2]);
  });
});

describe('imageFormat', () => {
  it('chooses by extension and names the file when it cannot', () => {
    expect(imageFormat('a/b.NII.GZ')).toBe('nifti');
    expect(imageFormat('seg.nhdr')).toBe('nrrd');
    const e = errorOf(() => imageFormat('scan.dcm'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/^scan\.dcm: unknown image format/);
  });
});

describe('readVolume reads only regular files', () => {
  it('names a folder or a device instead of reading it', () => {
    const dir = join(tmp(), 'scan.nii');
    mkdirSync(dir);
    const e = errorOf(() => readVolume(dir));
    expect(e.code).toBe('io_error');
    expect(e.message).toBe(`${dir}: is a directory, expected a file`);
    const zero = join(tmp(), 'zero.nii');
    symlinkSync('/dev/zero', zero);
    expect(errorOf(() => readVolume(zero)).message).toBe(`${zero}: is not a regular file`);
  });
});

describe('readVolume checks claimed sizes before allocating', () => {
  it('refuses a NIfTI header claiming 32767³ int16 voxels over a few bytes of data', () => {
    // 32767³ voxels × 2 bytes = 70362301923326 bytes claimed; 2×2×2 int16 = 16 bytes present.
    const path = join(tmp(), 'claim.nii');
    writeNifti(path, createVolume([2, 2, 2], new Int16Array(8)));
    const bytes = readFileSync(path);
    for (let a = 1; a <= 3; a++) bytes.writeInt16LE(32767, 40 + 2 * a);
    writeFileSync(path + '.gz', gzipSync(bytes));
    const e = errorOf(() => readVolume(path + '.gz'));
    expect(e.code).toBe('size_mismatch');
    expect(e.message).toMatch(/32767×32767×32767 int16 \(70362301923326 bytes from offset 352\), file has 16/);
  });
});

describe('readLabelMap on scaled integer masks (BraTS)', () => {
  it('rounds values within 1e-6 of a whole number, so 4294967295 × 2^-32 reads as label 1', () => {
    const path = join(tmp(), 'brainmask.nii');
    writeScaledMask(path, [2, 2, 1], Uint32Array.from([0, 4294967295, 4294967295, 0]));
    expect(Array.from(readVolume(path).data)).toEqual([0, 1 - 2 ** -32, 1 - 2 ** -32, 0]);
    expect(Array.from(readLabelMap(path).data)).toEqual([0, 1, 1, 0]);
  });

  it('still refuses values further than 1e-6 from a whole number, naming the value', () => {
    const path = join(tmp(), 'soft.nii');
    // 3 × 0.3333333 = 0.9999999 (1e-7 off: accepted) but 1 × 0.3333333 is a fraction.
    writeScaledMask(path, [2, 1, 1], Int32Array.from([3, 1]), 0.3333333);
    const e = errorOf(() => readLabelMap(path));
    expect(e.code).toBe('invalid_label');
    expect(e.message).toMatch(new RegExp(`^${path}: label maps need whole non-negative values, found 0\\.33333`));
  });
});
