import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVolume } from '../../src/volume/volume.ts';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { fixturePath, niftiExpected } from '../fixtures.ts';
import { writeScaledMask } from '../scaled-mask.ts';
import { runCli } from '../cli.ts';

const run = runCli;

const expected = niftiExpected();

describe('multirater info --json', () => {
  it.each(expected.map((e) => [e.file, e] as const))('describes %s as nibabel does', (_, e) => {
    const r = run('info', fixturePath('nifti', e.file), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout);
    expect(info.schemaVersion).toBe(1);
    expect(info.format).toBe('nifti');
    expect(info.shape).toEqual(e.shape);
    info.spacing.forEach((s: number, i: number) => expect(s).toBeCloseTo(e.spacing[i], 6));
    expect(info.datatype).toBe(e.datatype);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(info.affine[r][c]).toBeCloseTo(e.affine[r][c], 5);
    expect(Math.abs(info.sum - e.scaledSum)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e.scaledSum)));
    expect(info.min).toBeLessThanOrEqual(info.max);
  });

  it('gives min, max, sum and label counts of a label map written by hand', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-info-'));
    const path = join(dir, 'labels.nii.gz');
    // 3×2×2 labels: five 0s, four 1s, two 2s, one 7 → sum 4 + 4 + 7 = 15.
    const data = Uint8Array.from([0, 1, 1, 0, 2, 0, 1, 7, 0, 2, 1, 0]);
    writeNifti(path, createVolume([3, 2, 2], data, { spacing: [0.5, 0.5, 2] }));
    const info = JSON.parse(run('info', path, '--json').stdout);
    expect(info).toMatchObject({
      shape: [3, 2, 2],
      spacing: [0.5, 0.5, 2],
      datatype: 'uint8',
      min: 0,
      max: 7,
      sum: 15,
    });
    expect(info.labels).toEqual({ '0': 5, '1': 4, '2': 2, '7': 1 });
    expect(info.affine).toEqual([
      [0.5, 0, 0, 0],
      [0, 0.5, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('describes a NRRD file, with its affine in RAS+', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-info-'));
    const path = join(dir, 'mask.nrrd');
    const header = [
      'NRRD0004',
      'type: uchar',
      'dimension: 3',
      'space: left-posterior-superior',
      'sizes: 2 2 1',
      'space directions: (0.5,0,0) (0,0.5,0) (0,0,2)',
      'encoding: raw',
      'space origin: (5,6,7)',
      '',
      '',
    ].join('\n');
    writeFileSync(path, Buffer.concat([Buffer.from(header), Uint8Array.from([0, 1, 1, 3])]));
    const info = JSON.parse(run('info', path, '--json').stdout);
    expect(info).toMatchObject({
      format: 'nrrd',
      shape: [2, 2, 1],
      datatype: 'uint8',
      min: 0,
      max: 3,
      sum: 5,
      labels: { '0': 1, '1': 2, '3': 1 },
    });
    expect(info.affine).toEqual([
      [-0.5, 0, 0, -5],
      [0, -0.5, 0, -6],
      [0, 0, 2, 7],
      [0, 0, 0, 1],
    ]);
  });

  it('lists the labels of a float-scaled mask (BraTS: uint32 × 2^-32) instead of labels: null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-info-'));
    const path = join(dir, 'brainmask.nii');
    writeScaledMask(path, [3, 1, 1], Uint32Array.from([0, 4294967295, 4294967295]));
    const info = JSON.parse(run('info', path, '--json').stdout);
    expect(info).toMatchObject({
      datatype: 'uint32',
      scaled: true,
      valueType: 'float64',
      labels: { '0': 1, '1': 2 },
      distribution: null,
    });
  });

  it('summarises a CT by percentiles instead of listing 2001 values, and prints float32 spacing rounded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-info-'));
    const path = join(dir, 'ct.nii.gz');
    // 2001 voxels −1000, −999, …, 1000 (shuffled by a stride): percentile q is −1000 + 2000·q exactly.
    const data = Int16Array.from({ length: 2001 }, (_, i) => ((i * 7) % 2001) - 1000);
    writeNifti(path, createVolume([2001, 1, 1], data, { spacing: [1.2, 0.7, 3] }));
    const json = JSON.parse(run('info', path, '--json').stdout);
    expect(json.labels).toBeNull();
    expect(json.distribution).toEqual({ mean: 0, p1: -980, p5: -900, p25: -500, p50: 0, p75: 500, p95: 900, p99: 980 });
    // JSON keeps the stored float32 pixdim exactly as read; the text rounds it to the shortest float32 decimal.
    expect(json.spacing).toEqual([Math.fround(1.2), Math.fround(0.7), 3]);
    const text = run('info', path).stdout;
    expect(text).toContain('spacing   1.2 × 0.7 × 3 mm\n');
    expect(text).toContain('values    not a label map (fractional, or more than 256 distinct values); mean 0\n');
    expect(text).toContain('percentiles p1 -980  p5 -900  p25 -500  p50 0  p75 500  p95 900  p99 980\n');
    expect(text).not.toContain('labels');
  });

  it('prints a readable summary without --json', () => {
    const r = run('info', fixturePath('nifti', expected[0].file));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^file {6}.*\nformat {4}nifti\nshape {5}/);
  });
});

describe('multirater info on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multirater-info-bad-'));
  const cut = join(dir, 'cut.nii.gz');
  const gz = readFileSync(fixturePath('nifti', expected[0].file));
  writeFileSync(cut, gz.subarray(0, gz.length >> 1));
  const text = join(dir, 'text.nii');
  writeFileSync(text, 'not an image at all'.repeat(30));
  const badNrrd = join(dir, 'bad.nrrd');
  writeFileSync(badNrrd, 'NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nendian: little\nencoding: raw\n\nshort');

  it.each([
    ['a missing file', join(dir, 'missing.nii.gz'), /no such file/],
    ['a file that is not NIfTI', text, /not a NIfTI/],
    ['a truncated gzip', cut, /truncated gzip/],
    ['a NRRD shorter than its header says', badNrrd, /4×4×4 int16 \(128 bytes\), file has 5/],
    ['an unknown extension', join(dir, 'image.png'), /unknown image format/],
  ])('%s: exit 1, one line on stderr naming the file, nothing on stdout', (_, path, pattern) => {
    const r = run('info', path, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(pattern);
  });
});
