import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expectOneLineError } from '../../test/expect-error.ts';
import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { createVolume, type Affine } from '../volume/volume.ts';
import { readNifti } from './read-nifti.ts';
import { readNrrd } from './read-nrrd.ts';
import { readLabelMap, readVolume } from './read-volume.ts';
import { writeNifti } from './write-nifti.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'multirater-nrrd-'));

/** 3×2×2 int16 values i·100 − 500 (negative and positive, more than a byte). */
const values = Int16Array.from({ length: 12 }, (_, i) => i * 100 - 500);

function int16Bytes(v: Int16Array, little: boolean): Uint8Array {
  const out = new Uint8Array(v.length * 2);
  const view = new DataView(out.buffer);
  v.forEach((x, i) => view.setInt16(2 * i, x, little));
  return out;
}

function nrrd(lines: string[], data: Uint8Array | string = new Uint8Array()): Uint8Array {
  const head = Buffer.from(['NRRD0004', ...lines].join('\n') + '\n\n', 'latin1');
  return Buffer.concat([head, typeof data === 'string' ? Buffer.from(data, 'latin1') : data]);
}

function write(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The volume read from a fresh a.nrrd of header `lines` and `data`. */
const readHeaderAndData = (lines: string[], data: Uint8Array) =>
  readNrrd(write(tmp(), 'a.nrrd', nrrd(lines, data))).volume;

const lpsHeader = (encoding: string, endian = 'little') => [
  'type: short',
  'dimension: 3',
  'space: left-posterior-superior',
  'sizes: 3 2 2',
  'space directions: (1.5,0,0) (0,-2,0) (0,0,3)',
  'kinds: domain domain domain',
  `endian: ${endian}`,
  `encoding: ${encoding}`,
  'space origin: (10,20,30)',
];

/** The same volume in RAS+: LPS x and y flip sign (rows 1 and 2 of the affine). */
const rasAffine: Affine = [
  [-1.5, 0, 0, -10],
  [0, 2, 0, -20],
  [0, 0, 3, 30],
  [0, 0, 0, 1],
];

function expectSameAsNifti(path: string, dir: string) {
  const niftiPath = join(dir, 'same.nii.gz');
  writeNifti(niftiPath, createVolume([3, 2, 2], values, { spacing: [1.5, 2, 3], affine: rasAffine }));
  const fromNifti = readNifti(niftiPath).volume;
  const fromNrrd = readNrrd(path).volume;
  expect(fromNrrd.shape).toEqual(fromNifti.shape);
  expect(fromNrrd.dtype).toBe(fromNifti.dtype);
  fromNrrd.spacing.forEach((s, i) => expect(s).toBeCloseTo(fromNifti.spacing[i], 6));
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) expect(fromNrrd.affine[r][c]).toBeCloseTo(fromNifti.affine[r][c], 5);
  expect(Array.from(fromNrrd.data)).toEqual(Array.from(fromNifti.data));
}

describe('readNrrd reads what the same volume as NIfTI holds', () => {
  it('raw, little-endian, LPS space converted to RAS+', () => {
    const dir = tmp();
    expectSameAsNifti(write(dir, 'a.nrrd', nrrd(lpsHeader('raw'), int16Bytes(values, true))), dir);
  });

  it('raw, big-endian', () => {
    const dir = tmp();
    expectSameAsNifti(write(dir, 'a.nrrd', nrrd(lpsHeader('raw', 'big'), int16Bytes(values, false))), dir);
  });

  it('gzip, attached', () => {
    const dir = tmp();
    expectSameAsNifti(write(dir, 'a.nrrd', nrrd(lpsHeader('gzip'), gzipSync(int16Bytes(values, true)))), dir);
  });

  it('ascii and hex', () => {
    const dir = tmp();
    expectSameAsNifti(write(dir, 'a.nrrd', nrrd(lpsHeader('ascii'), Array.from(values).join(' ') + '\n')), dir);
    const hex = Buffer.from(int16Bytes(values, false))
      .toString('hex')
      .replace(/(.{8})/g, '$1\n');
    expectSameAsNifti(write(dir, 'b.nrrd', nrrd(lpsHeader('hex', 'big'), hex)), dir);
  });

  it('detached header with a raw or gzip data file, and a LIST of slab files', () => {
    const dir = tmp();
    write(dir, 'a.raw', int16Bytes(values, true));
    const header = (enc: string, file: string) =>
      Buffer.from(['NRRD0004', ...lpsHeader(enc), `data file: ${file}`].join('\n') + '\n');
    expectSameAsNifti(write(dir, 'a.nhdr', header('raw', 'a.raw')), dir);
    write(dir, 'a.raw.gz', gzipSync(int16Bytes(values, true)));
    expectSameAsNifti(write(dir, 'b.nhdr', header('gzip', 'a.raw.gz')), dir);
    write(dir, 'k0.raw', int16Bytes(values.subarray(0, 6), true));
    write(dir, 'k1.raw', int16Bytes(values.subarray(6), true));
    expectSameAsNifti(write(dir, 'c.nhdr', header('raw', 'LIST') + 'k0.raw\nk1.raw\n'), dir);
    expectSameAsNifti(write(dir, 'd.nhdr', header('raw', 'k%d.raw 0 1 1')), dir);
  });

  it('line skip, byte skip and byte skip −1', () => {
    const dir = tmp();
    const data = Buffer.concat([Buffer.from('junk line\nmore\nXYZ'), int16Bytes(values, true)]);
    expectSameAsNifti(write(dir, 'a.nrrd', nrrd([...lpsHeader('raw'), 'line skip: 2', 'byte skip: 3'], data)), dir);
    expectSameAsNifti(write(dir, 'b.nrrd', nrrd([...lpsHeader('raw'), 'byte skip: -1'], data)), dir);
  });
});

describe('readNrrd geometry', () => {
  it('takes RAS directions as they are and flips x only for LAS', () => {
    const dir = tmp();
    const lines = (space: string) => [
      'type: uint8',
      'dimension: 3',
      `space: ${space}`,
      'sizes: 2 2 2',
      'space directions: (0.8,0.6,0) (-0.6,0.8,0) (0,0,2.5)',
      'encoding: raw',
      'space origin: (1,2,3)',
    ];
    const ras = readNrrd(write(dir, 'ras.nrrd', nrrd(lines('RAS'), new Uint8Array(8)))).volume;
    expect(ras.affine).toEqual([
      [0.8, -0.6, 0, 1],
      [0.6, 0.8, 0, 2],
      [0, 0, 2.5, 3],
      [0, 0, 0, 1],
    ]);
    expect(ras.spacing.map((s) => +s.toFixed(12))).toEqual([1, 1, 2.5]);
    const las = readNrrd(write(dir, 'las.nrrd', nrrd(lines('left-anterior-superior'), new Uint8Array(8)))).volume;
    expect(las.affine[0]).toEqual([-0.8, 0.6, 0, -1]);
    expect(las.affine[1]).toEqual([0.6, 0.8, 0, 2]);
  });

  it('without space directions uses spacings on ITK’s LPS identity', () => {
    const v = readHeaderAndData(
      ['type: uchar', 'dimension: 3', 'sizes: 2 2 2', 'spacings: 0.5 0.7 4', 'encoding: raw'],
      new Uint8Array(8),
    );
    expect(v.spacing).toEqual([0.5, 0.7, 4]);
    expect(v.affine).toEqual([
      [-0.5, 0, 0, 0],
      [0, -0.7, 0, 0],
      [0, 0, 4, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('moves a leading list axis (Slicer segmentation layers) to the 4th axis, and drops a singleton one', () => {
    const dir = tmp();
    // 2 layers × 2×1×1 voxels, layer fastest: (layer, i) values 1, 2 | 3, 4 → layer 0 = [1, 3], layer 1 = [2, 4].
    const lines = (sizes: string) => [
      'type: uint8',
      'dimension: 4',
      'space: LPS',
      `sizes: ${sizes}`,
      'space directions: none (1,0,0) (0,1,0) (0,0,1)',
      'kinds: list domain domain domain',
      'encoding: raw',
    ];
    const layered = readNrrd(write(dir, 'seg.nrrd', nrrd(lines('2 2 1 1'), Uint8Array.from([1, 2, 3, 4])))).volume;
    expect(layered.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(layered.data)).toEqual([1, 3, 2, 4]);
    const single = readNrrd(write(dir, 'one.nrrd', nrrd(lines('1 2 1 1'), Uint8Array.from([5, 6])))).volume;
    expect(single.shape).toEqual([2, 1, 1]);
    expect(Array.from(readLabelMap(join(dir, 'one.nrrd')).data)).toEqual([5, 6]);
  });

  it('reads a RAS-time space: the axis stepping only in time becomes the 4th axis with its time step', () => {
    const dir = tmp();
    const lines = [
      'type: uchar',
      'dimension: 4',
      'space: RAST',
      'sizes: 2 1 1 3',
      'space directions: (1,0,0,0) (0,1,0,0) (0,0,2,0) (0,0,0,30)',
      'encoding: raw',
      'space origin: (1,2,3,0)',
    ];
    const v = readNrrd(write(dir, 'cine.nrrd', nrrd(lines, Uint8Array.from([1, 2, 3, 4, 5, 6])))).volume;
    expect(v.shape).toEqual([2, 1, 1, 3]);
    expect(v.spacing).toEqual([1, 1, 2, 30]);
    expect(v.affine.map((r) => r[3])).toEqual([1, 2, 3, 1]);
    expect(Array.from(v.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a 2D image with a unit normal as its third column', () => {
    const lines = [
      'type: float',
      'dimension: 2',
      'space: RAS',
      'sizes: 2 1',
      'space directions: (2,0,0) (0,3,0)',
      'endian: little',
      'encoding: raw',
    ];
    const v = readHeaderAndData(lines, new Uint8Array(new Float32Array([1.5, -2]).buffer));
    expect(v.shape).toEqual([2, 1]);
    expect(v.spacing).toEqual([2, 3]);
    expect(v.affine.map((r) => r[2])).toEqual([0, 0, 1, 0]);
    expect(Array.from(v.data)).toEqual([1.5, -2]);
  });
});

describe('readNrrd types', () => {
  const cases: [string, string, number, (v: DataView, o: number, x: number) => void][] = [
    ['signed char', 'int8', 1, (v, o, x) => v.setInt8(o, x)],
    ['uchar', 'uint8', 1, (v, o, x) => v.setUint8(o, x)],
    ['short', 'int16', 2, (v, o, x) => v.setInt16(o, x, true)],
    ['unsigned short', 'uint16', 2, (v, o, x) => v.setUint16(o, x, true)],
    ['int', 'int32', 4, (v, o, x) => v.setInt32(o, x, true)],
    ['uint32', 'uint32', 4, (v, o, x) => v.setUint32(o, x, true)],
    ['long long', 'int32', 8, (v, o, x) => v.setBigInt64(o, BigInt(x), true)],
    ['uint64', 'int32', 8, (v, o, x) => v.setBigUint64(o, BigInt(x), true)],
    ['float', 'float32', 4, (v, o, x) => v.setFloat32(o, x, true)],
    ['double', 'float64', 8, (v, o, x) => v.setFloat64(o, x, true)],
  ];
  it.each(cases)('%s → %s', (type, dtype, bytes, set) => {
    const xs = [0, 1, 2, 100, 7, 3, 9, 120];
    const data = new Uint8Array(xs.length * bytes);
    const view = new DataView(data.buffer);
    xs.forEach((x, i) => set(view, i * bytes, x));
    const dir = tmp();
    const path = write(
      dir,
      'a.nrrd',
      nrrd([`type: ${type}`, 'dimension: 3', 'sizes: 2 2 2', 'endian: little', 'encoding: raw'], data),
    );
    const v = readVolume(path);
    expect(v.dtype).toBe(dtype);
    expect(Array.from(v.data)).toEqual(xs);
  });
});

describe('readNrrd rejects bad input with one line naming the file', () => {
  const expectError = (path: string, code: string, pattern: RegExp) =>
    expectOneLineError(() => readVolume(path), path, code, pattern);
  const base = ['type: short', 'dimension: 3', 'sizes: 3 2 2', 'endian: little', 'encoding: raw'];
  /** `base` without its `field` line, or with that line replaced by `line`. */
  const edited = (field: string, line?: string) =>
    base.flatMap((l) => (!l.startsWith(field) ? [l] : line === undefined ? [] : [line]));
  /** A 24-byte file `name` under the header `lines` is refused with `code` and a message matching `pattern`. */
  const expectHeaderError = (lines: string[], code: string, pattern: RegExp, name = 'a.nrrd') =>
    expectError(write(tmp(), name, nrrd(lines, new Uint8Array(24))), code, pattern);

  it('not a NRRD', () => expectError(write(tmp(), 'a.nrrd', 'hello, not an image'), 'invalid_nrrd', /not a NRRD/));

  it('missing file and missing detached data file', () => {
    const dir = tmp();
    expectError(join(dir, 'nope.nrrd'), 'file_not_found', /no such file/);
    const hdr = write(dir, 'a.nhdr', Buffer.from(['NRRD0004', ...base, 'data file: gone.raw'].join('\n') + '\n'));
    try {
      readVolume(hdr);
      throw new Error('expected an error');
    } catch (e) {
      expect(isMultiraterError(e, 'file_not_found')).toBe(true);
      expect((e as Error).message).toContain('gone.raw');
    }
  });

  it('a required field missing', () => expectHeaderError(edited('sizes'), 'invalid_nrrd', /no "sizes" field/));

  it('sizes that disagree with the dimension', () =>
    expectHeaderError(edited('sizes', 'sizes: 3 2'), 'invalid_nrrd', /not 3 positive integers/));

  it('data shorter than the header says', () => {
    expectError(
      write(tmp(), 'a.nrrd', nrrd(base, new Uint8Array(23))),
      'size_mismatch',
      /3×2×2 int16 \(24 bytes\), file has 23/,
    );
  });

  it('a huge claimed size is refused before allocating', () => {
    const huge = base.map((l) => (l.startsWith('sizes') ? 'sizes: 100000 100000 100000' : l));
    expectError(write(tmp(), 'a.nrrd', nrrd(huge, new Uint8Array(24))), 'size_mismatch', /file has 24/);
    const gz = huge.map((l) => (l.startsWith('encoding') ? 'encoding: gzip' : l));
    expectError(write(tmp(), 'b.nrrd', nrrd(gz, gzipSync(new Uint8Array(24)))), 'size_mismatch', /gzip data hold 24/);
  });

  it('truncated gzip', () => {
    const gz = gzipSync(int16Bytes(values, true));
    expectError(
      write(tmp(), 'a.nrrd', nrrd(lpsHeader('gzip'), gz.subarray(0, gz.length >> 1))),
      'truncated',
      /truncated gzip/,
    );
  });

  it('no endian for multi-byte raw data', () =>
    expectHeaderError(edited('endian'), 'invalid_nrrd', /no "endian" field/));

  it('unsupported type and encoding', () => {
    expectHeaderError(edited('type', 'type: block'), 'unsupported_datatype', /"block"/);
    expectHeaderError(edited('encoding', 'encoding: bzip2'), 'unsupported_format', /bzip2/, 'b.nrrd');
  });

  it('space directions of the wrong count', () => {
    const lines = [...base, 'space: LPS', 'space directions: (1,0,0) (0,1,0)'];
    expectHeaderError(lines, 'invalid_nrrd', /2 entries for dimension 3/);
  });

  it('two non-spatial axes', () => {
    const lines = [
      'type: uchar',
      'dimension: 3',
      'space: LPS',
      'sizes: 2 2 2',
      'space directions: none none (1,0,0)',
      'encoding: raw',
    ];
    expectError(
      write(tmp(), 'a.nrrd', nrrd(lines, new Uint8Array(8))),
      'unsupported_format',
      /1 spatial and 2 other axes/,
    );
  });
});

describe('readNrrd refuses what it must not read', () => {
  it('a data file that is a device, not a regular file', () => {
    const dir = tmp();
    const hdr = write(
      dir,
      'a.nhdr',
      Buffer.from(
        ['NRRD0004', 'type: uchar', 'dimension: 1', 'sizes: 4', 'encoding: raw', 'data file: /dev/zero'].join('\n') +
          '\n',
      ),
    );
    expect(() => readNrrd(hdr)).toThrow(/\/dev\/zero: is not a regular file/);
  });

  it('a step whose length overflows', () => {
    const lines = [
      'type: uchar',
      'dimension: 1',
      'space: RAS',
      'sizes: 1',
      'space directions: (1.5e308,1.5e308,1.5e308)',
      'encoding: raw',
    ];
    expect(() => readNrrd(write(tmp(), 'a.nrrd', nrrd(lines, new Uint8Array(1))))).toThrow(
      /axis 0 has a step too large/,
    );
  });
});
