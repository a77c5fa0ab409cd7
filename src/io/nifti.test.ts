import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectOneLineError } from '../../test/expect-error.ts';
import { fixturePath, niftiExpected } from '../../test/fixtures.ts';
import { allocate, createVolume, DTYPES, voxelCount } from '../volume/volume.ts';
import { readNifti } from './read-nifti.ts';
import { writeNifti } from './write-nifti.ts';

const expected = niftiExpected();
const tmp = () => mkdtempSync(join(tmpdir(), 'multirater-nifti-'));

function linearIndex(shape: number[], index: number[]): number {
  let k = 0;
  for (let a = shape.length - 1; a >= 0; a--) k = k * shape[a] + index[a];
  return k;
}

describe('readNifti matches nibabel on every fixture', () => {
  for (const e of expected) {
    it(`reads ${e.file}`, () => {
      const { volume, header } = readNifti(fixturePath('nifti', e.file));
      expect(volume.shape).toEqual(e.shape);
      volume.spacing.forEach((s, i) => expect(s).toBeCloseTo(e.spacing[i], 6));
      expect(header.fileDType).toBe(e.datatype);
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) expect(volume.affine[r][c]).toBeCloseTo(e.affine[r][c], 5);
      let sum = 0;
      for (let i = 0; i < volume.data.length; i++) sum += volume.data[i];
      expect(Math.abs(sum - e.scaledSum)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e.scaledSum)));
      e.scaledFirst.forEach((v, i) => expect(volume.data[i]).toBeCloseTo(v, 5));
      for (const { index, value } of e.scaledAt) expect(volume.data[linearIndex(e.shape, index)]).toBeCloseTo(value, 5);
    });
  }
});

describe('writeNifti round-trips', () => {
  it.each(DTYPES)('%s voxels bit-exactly through .nii and .nii.gz', (dtype) => {
    const shape = [5, 4, 3];
    const data = allocate(dtype, voxelCount(shape));
    const bytes = new Uint8Array(data.buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
    if (data instanceof Float32Array || data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) data[i] = i * 0.25;
    }
    const affine = [
      [0, -1.2, 0, 30],
      [1.2, 0, 0, -20],
      [0, 0, 5, 10],
      [0, 0, 0, 1],
    ];
    const vol = createVolume(shape, data, { spacing: [1.2, 1.2, 5], affine });
    const dir = tmp();
    for (const name of ['a.nii', 'a.nii.gz']) {
      writeNifti(join(dir, name), vol);
      const back = readNifti(join(dir, name)).volume;
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(back.affine[r][c]).toBeCloseTo(affine[r][c], 5);
    }
  });

  it('writes NIfTI-2 on request and for 4D volumes keeps the time spacing', () => {
    const vol = createVolume(
      [3, 2, 2, 4],
      new Float32Array(48).map((_, i) => i / 3),
      { spacing: [1.5, 1.5, 10, 30] },
    );
    const path = join(tmp(), 'cine.nii.gz');
    writeNifti(path, vol, { version: 2 });
    const back = readNifti(path);
    expect(back.header.version).toBe(2);
    expect(back.volume.spacing).toEqual([1.5, 1.5, 10, 30]);
    expect(Array.from(back.volume.data)).toEqual(Array.from(vol.data));
  });

  it('reads back a flipped (negative-determinant) affine through the qform alone', () => {
    const affine = [
      [-2, 0, 0, 5],
      [0, 3, 0, 6],
      [0, 0, 4, 7],
      [0, 0, 0, 1],
    ];
    const path = join(tmp(), 'flip.nii');
    writeNifti(path, createVolume([2, 2, 2], new Uint8Array(8), { spacing: [2, 3, 4], affine }));
    const bytes = readFileSync(path);
    bytes.writeInt16LE(0, 254); // drop the sform: the qform must carry the same geometry
    writeFileSync(path, bytes);
    const back = readNifti(path).volume;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(back.affine[r][c]).toBeCloseTo(affine[r][c], 5);
  });
});

describe('readNifti rejects bad input with one line naming the file', () => {
  const fixture = () => readFileSync(fixturePath('nifti', 'labels_u8_aniso.nii.gz'));
  const expectError = (path: string, code: string, pattern: RegExp) =>
    expectOneLineError(() => readNifti(path), path, code, pattern);

  it('missing file', () => expectError(join(tmp(), 'nope.nii.gz'), 'file_not_found', /no such file/));

  it('not a NIfTI', () => {
    const path = join(tmp(), 'text.nii');
    writeFileSync(path, 'hello, this is not an image'.repeat(20));
    expectError(path, 'invalid_nifti', /not a NIfTI/);
  });

  it('truncated gzip', () => {
    const path = join(tmp(), 'cut.nii.gz');
    const bytes = fixture();
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    expectError(path, 'truncated', /truncated gzip/);
  });

  it('header whose size disagrees with the data', () => {
    const path = join(tmp(), 'short.nii.gz');
    const raw = readNifti(fixturePath('nifti', 'labels_u8_aniso.nii.gz'));
    writeNifti(path, raw.volume);
    const full = gunzipSync(readFileSync(path));
    writeFileSync(path, gzipSync(full.subarray(0, full.length - 100)));
    expectError(path, 'size_mismatch', /40×36×12 uint8 \(17280 bytes/);
  });

  it('unsupported datatype', () => {
    const path = join(tmp(), 'rgb.nii');
    writeNifti(path, createVolume([4, 4, 4], new Uint8Array(64)));
    const bytes = readFileSync(path);
    bytes.writeInt16LE(128, 70); // RGB24
    bytes.writeInt16LE(24, 72);
    writeFileSync(path, bytes);
    expectError(path, 'unsupported_datatype', /RGB24/);
  });

  it('leaves no partial file when the write fails', () => {
    const dir = tmp();
    const path = join(dir, 'missing-parent-is-a-file', 'x.nii');
    writeFileSync(join(dir, 'missing-parent-is-a-file'), 'x');
    expect(() => writeNifti(path, createVolume([2, 2], new Uint8Array(4)))).toThrow(/cannot write/);
    expect(readdirSync(dir)).toEqual(['missing-parent-is-a-file']);
    expect(existsSync(path)).toBe(false);
  });
});
