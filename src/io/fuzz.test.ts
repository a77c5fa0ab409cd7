/**
 * Seeded fuzzing of the image readers: every fixture NIfTI file and a set of NRRD files built here get random
 * byte flips, truncations and header-field mutations. Each case must end in a valid Volume or a
 * MultiraterError — never another exception, a hang, or a volume larger than the bytes can hold.
 * `MULTIRATER_FUZZ_CASES` sets the number of cases (default 3000); `MULTIRATER_FUZZ_SEED` the seed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { isMultiraterError } from '../errors.ts';
import { Rng } from '../random/rng.ts';
import { voxelCount, type Volume } from '../volume/volume.ts';
import { NIFTI_FIELD_BYTES, NIFTI_HEADER_LAYOUT, type NiftiFieldKind } from './nifti-header-layout.ts';
import { readVolume } from './read-volume.ts';

const CASES = Number(process.env.MULTIRATER_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.MULTIRATER_FUZZ_SEED ?? 20261123);
/** Deflate expands at most 1032:1, so no honest gzip stream holds more bytes than that. */
const DEFLATE_MAX_RATIO = 1032;

const dir = mkdtempSync(join(tmpdir(), 'multirater-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Field {
  name: string;
  offset: number;
  kind: NiftiFieldKind;
}

/**
 * Header fields of NIfTI-1 (nifti1.h) and NIfTI-2 (nifti2.h) that the reader interprets, element by element in file
 * order: those multirater writes but sizeof_hdr (checked as the magic) and xyzt_units.
 */
const niftiFields = (version: 1 | 2): Field[] =>
  Object.entries(NIFTI_HEADER_LAYOUT[version].fields)
    .filter(([name]) => name !== 'sizeof_hdr' && name !== 'xyzt_units')
    .flatMap(([name, { offset, kind, count }]) =>
      Array.from({ length: count }, (_, i) => ({
        name: count === 1 ? name : `${name}[${i}]`,
        offset: offset + i * NIFTI_FIELD_BYTES[kind],
        kind,
      })),
    )
    .sort((a, b) => a.offset - b.offset);
const NIFTI1_FIELDS = niftiFields(1);
const NIFTI2_FIELDS = niftiFields(2);

const INTS = [
  0,
  1,
  -1,
  2,
  3,
  4,
  5,
  7,
  8,
  16,
  64,
  255,
  256,
  348,
  352,
  540,
  544,
  768,
  1024,
  1280,
  2304,
  32767,
  -32768,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 40,
];
const FLOATS = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 1e-40, 1e-30, 1e30, 3.4e38, 352, 540, 544, 1e6, -1e6];

function setField(bytes: Uint8Array, f: Field, value: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (f.offset + 8 > bytes.length) return;
  const n = Number.isFinite(value) ? Math.trunc(value) : 0;
  if (f.kind === 'i16') v.setInt16(f.offset, n, true);
  else if (f.kind === 'i32') v.setInt32(f.offset, n, true);
  else if (f.kind === 'i64') v.setBigInt64(f.offset, BigInt(n), true);
  else if (f.kind === 'f32') v.setFloat32(f.offset, value, true);
  else v.setFloat64(f.offset, value, true);
}

interface Input {
  name: string;
  /** Files to write: the first is read; mutations hit the one at `target`. */
  files: { name: string; bytes: Uint8Array }[];
  kind: 'nifti' | 'nrrd';
}

function niftiInputs(): Input[] {
  return readdirSync(fixturePath('nifti'))
    .filter((f) => f.endsWith('.nii') || f.endsWith('.nii.gz'))
    .sort()
    .map((f) => ({
      name: f,
      kind: 'nifti' as const,
      files: [{ name: f, bytes: new Uint8Array(readFileSync(fixturePath('nifti', f))) }],
    }));
}

function nrrdBytes(lines: string[], data: Uint8Array | string): Uint8Array {
  return Buffer.concat([
    Buffer.from(['NRRD0004', ...lines].join('\n') + '\n\n', 'latin1'),
    Buffer.from(data as Uint8Array),
  ]);
}

function nrrdInputs(): Input[] {
  const rng = new Rng(7);
  const i16 = new Uint8Array(6 * 5 * 4 * 2).map(() => rng.int(256));
  const f32 = new Uint8Array(new Float32Array(4 * 4 * 3).map(() => rng.normal()).buffer);
  const u8 = Array.from({ length: 5 * 4 }, () => rng.int(4)).join(' ');
  const lps = [
    'space: left-posterior-superior',
    'space directions: (0.9,0.1,0) (-0.1,0.9,0) (0,0,3)',
    'space origin: (-10,20.5,3)',
  ];
  return [
    {
      name: 'raw.nrrd',
      kind: 'nrrd',
      files: [
        {
          name: 'raw.nrrd',
          bytes: nrrdBytes(
            ['type: short', 'dimension: 3', 'sizes: 6 5 4', 'endian: little', 'encoding: raw', ...lps],
            i16,
          ),
        },
      ],
    },
    {
      name: 'gzip.nrrd',
      kind: 'nrrd',
      files: [
        {
          name: 'gzip.nrrd',
          bytes: nrrdBytes(
            ['type: float', 'dimension: 3', 'sizes: 4 4 3', 'spacings: 1 1 2.5', 'endian: big', 'encoding: gzip'],
            gzipSync(f32),
          ),
        },
      ],
    },
    {
      name: 'ascii.nrrd',
      kind: 'nrrd',
      files: [
        { name: 'ascii.nrrd', bytes: nrrdBytes(['type: uchar', 'dimension: 2', 'sizes: 5 4', 'encoding: ascii'], u8) },
      ],
    },
    {
      name: 'seg.nrrd',
      kind: 'nrrd',
      files: [
        {
          name: 'seg.nrrd',
          bytes: nrrdBytes(
            [
              'type: uchar',
              'dimension: 4',
              'space: LPS',
              'sizes: 2 3 3 2',
              'space directions: none (1,0,0) (0,1,0) (0,0,2)',
              'kinds: list domain domain domain',
              'encoding: gzip',
            ],
            gzipSync(new Uint8Array(36).map((_, i) => i % 3)),
          ),
        },
      ],
    },
    {
      name: 'detached.nhdr',
      kind: 'nrrd',
      files: [
        {
          name: 'detached.nhdr',
          bytes: Buffer.from(
            [
              'NRRD0005',
              'type: int16',
              'dimension: 3',
              'sizes: 6 5 4',
              'endian: little',
              'encoding: gzip',
              ...lps,
              'data file: detached.raw.gz',
            ].join('\n') + '\n',
          ),
        },
        { name: 'detached.raw.gz', bytes: gzipSync(i16) },
      ],
    },
  ];
}

const NRRD_VALUES = [
  '',
  '0',
  '-1',
  '1',
  '3',
  '4',
  '17',
  'nan',
  '1e308',
  '-1e308',
  '(1,2)',
  '(nan,0,0)',
  '(1e308,1e308,1e308)',
  'none',
  '3 3',
  '999999999 999999999 999999999',
  '4294967296 2 2',
  'LIST',
  'raw',
  'gzip',
  'ascii',
  'hex',
  'bzip2',
  'big',
  'block',
  'double',
  'uint64',
  'RAS',
  'scanner-xyz-time',
  'k%d.raw 0 100000 1',
  '/dev/zero',
  '../../etc/passwd',
  'none none none none',
];

interface Case {
  input: Input;
  description: string;
  files: { name: string; bytes: Uint8Array }[];
}

function mutate(input: Input, rng: Rng, index: number): Case {
  const choice = rng.int(4);
  // Header mutations hit the header; flips and truncations sometimes hit a detached data file.
  const target = choice < 2 && input.files.length > 1 && rng.uniform() < 0.5 ? 1 : 0;
  // A copy: Buffer's slice() would share memory and let mutations pile up on the input.
  let bytes: Uint8Array = Uint8Array.from(input.files[target].bytes);
  let description: string;
  if (choice === 0) {
    const flips = 1 + rng.int(8);
    // Most flips land in the header, where they mean the most.
    const span = rng.uniform() < 0.7 ? Math.min(bytes.length, 600) : bytes.length;
    for (let f = 0; f < flips; f++) bytes[rng.int(span)] ^= 1 << rng.int(8);
    description = `${flips} bit flips in the first ${span} bytes`;
  } else if (choice === 1) {
    const keep = rng.uniform() < 0.5 ? rng.int(Math.min(bytes.length, 700)) : rng.int(bytes.length);
    bytes = bytes.subarray(0, keep);
    description = `truncated to ${keep} bytes`;
  } else if (input.kind === 'nifti') {
    ({ bytes, description } = mutateNiftiHeader(bytes, rng, choice === 3));
  } else {
    ({ bytes, description } = mutateNrrdHeader(bytes, rng));
  }
  const files = input.files.map((f, i) => ({ name: `c${index}-${f.name}`, bytes: i === target ? bytes : f.bytes }));
  if (input.files.length > 1) {
    // The header names its data file; keep the name pointing at this case's copy.
    files[0].bytes = Buffer.from(
      Buffer.from(files[0].bytes).toString('latin1').replace(input.files[1].name, files[1].name),
      'latin1',
    );
  }
  return { input, description: `${input.name}, file ${target}: ${description}`, files };
}

/** Sets one header field of the (gunzipped) NIfTI to an edge value, or flips bits in the header; re-gzips. */
function mutateNiftiHeader(
  stored: Uint8Array,
  rng: Rng,
  flipHeader: boolean,
): { bytes: Uint8Array; description: string } {
  const gz = stored[0] === 0x1f && stored[1] === 0x8b;
  const raw = new Uint8Array(gz ? gunzipSync(stored) : stored);
  const v2 = new DataView(raw.buffer).getInt32(0, true) === 540;
  let description: string;
  if (flipHeader) {
    const at = rng.int(v2 ? 540 : 348);
    raw[at] ^= 1 << rng.int(8);
    description = `bit flip at header byte ${at}`;
  } else {
    const fields = v2 ? NIFTI2_FIELDS : NIFTI1_FIELDS;
    const f = fields[rng.int(fields.length)];
    const pool = f.kind.startsWith('f') ? FLOATS : INTS;
    const value = rng.uniform() < 0.8 ? pool[rng.int(pool.length)] : Math.round(rng.range(-1e5, 1e5));
    setField(raw, f, value);
    description = `${f.name} = ${value}`;
  }
  const regzip = gz && rng.uniform() < 0.7;
  return {
    bytes: regzip ? gzipSync(raw, { level: 1 }) : raw,
    description: `${description}${gz ? (regzip ? ', re-gzipped' : ', stored plain in .gz') : ''}`,
  };
}

/** Replaces, drops, duplicates or swaps header lines of a NRRD. */
function mutateNrrdHeader(stored: Uint8Array, rng: Rng): { bytes: Uint8Array; description: string } {
  const text = Buffer.from(stored).toString('latin1');
  const end = text.indexOf('\n\n');
  const headerEnd = end < 0 ? text.length : end;
  const lines = text.slice(0, headerEnd).split('\n');
  const rest = text.slice(headerEnd);
  const at = 1 + rng.int(lines.length - 1);
  const op = rng.int(4);
  let description: string;
  if (op === 0) {
    const value = NRRD_VALUES[rng.int(NRRD_VALUES.length)];
    const key = lines[at].split(':')[0];
    lines[at] = `${key}: ${value}`;
    description = `header "${key}: ${value}"`;
  } else if (op === 1) {
    description = `dropped header line "${lines[at]}"`;
    lines.splice(at, 1);
  } else if (op === 2) {
    description = `duplicated header line "${lines[at]}"`;
    lines.splice(at, 0, lines[at]);
  } else {
    const other = 1 + rng.int(lines.length - 1);
    [lines[at], lines[other]] = [lines[other], lines[at]];
    description = `swapped header lines ${at} and ${other}`;
  }
  return { bytes: Buffer.from(lines.join('\n') + rest, 'latin1'), description };
}

/** The most voxels the case's bytes can honestly hold: one per stored (or, for gzip, decompressed) byte. */
function honestVoxels(c: Case): number {
  let total = 0;
  for (const f of c.files) {
    total += f.bytes.length;
    if (c.input.kind === 'nifti' && f.bytes[0] === 0x1f && f.bytes[1] === 0x8b) {
      try {
        total += gunzipSync(f.bytes).length;
      } catch {
        // A stream that does not inflate holds no voxels beyond its own bytes.
      }
    } else if (c.input.kind === 'nrrd') {
      total += f.bytes.length * DEFLATE_MAX_RATIO;
    }
  }
  return total;
}

function checkVolume(v: Volume, c: Case): void {
  expect(v.shape.length).toBeGreaterThanOrEqual(1);
  expect(v.shape.length).toBeLessThanOrEqual(4);
  for (const s of v.shape) expect(Number.isInteger(s) && s >= 1).toBe(true);
  expect(v.data.length).toBe(voxelCount(v.shape));
  expect(v.data.length).toBeLessThanOrEqual(honestVoxels(c));
  for (const s of v.spacing) expect(Number.isFinite(s) && s > 0).toBe(true);
  for (const row of v.affine) for (const x of row) expect(Number.isFinite(x)).toBe(true);
}

describe('image readers under fuzzing', () => {
  it(`end every one of ${CASES} mutated files in a valid volume or a MultiraterError (seed ${SEED})`, () => {
    const inputs = [...niftiInputs(), ...nrrdInputs()];
    expect(inputs.length).toBeGreaterThan(5);
    const rng = new Rng(SEED);
    const outcomes = { read: 0, rejected: 0 };
    for (let i = 0; i < CASES; i++) {
      const c = mutate(inputs[i % inputs.length], rng.fork(i), i);
      for (const f of c.files) writeFileSync(join(dir, f.name), f.bytes);
      let volume: Volume | null = null;
      try {
        volume = readVolume(join(dir, c.files[0].name));
      } catch (e) {
        if (!isMultiraterError(e))
          throw new Error(`case ${i} (${c.description}): ${(e as Error).name}: ${(e as Error).message}`);
        expect((e as Error).message).not.toContain('\n');
        outcomes.rejected++;
      }
      if (volume) {
        checkVolume(volume, c);
        outcomes.read++;
      }
      for (const f of c.files) rmSync(join(dir, f.name), { force: true });
    }
    // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
    expect(outcomes.read).toBeGreaterThan(CASES / 20);
    expect(outcomes.rejected).toBeGreaterThan(CASES / 20);
  });
});
