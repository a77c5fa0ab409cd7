/**
 * Outside programs a study may run beside our code, from `scripts/peers/` of a source checkout, never needed:
 * ITK's DiffeomorphicDemonsRegistrationFilter (`itk-demons.cxx`, built once per machine with cmake against Debian's
 * libinsighttoolkit5-dev) and Debian's `elastix` (B-spline, `elastix-pairs.sh` + `elastix-bspline.txt`). A study
 * plans a peer's rows only when the peer is available; without it the same study runs and says so.
 *
 * Images go to the peers with origin 0 and identity direction (elastix: MetaImage, which ITK reads without the
 * NIfTI RAS→LPS flip), so a peer's displacements in physical units are our fields' mm along the voxel axes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiraterError } from '../errors.ts';
import { writeNifti } from '../io/index.ts';
import { zeroField, type DisplacementField } from '../registration/index.ts';
import { createVolume, voxelCount, type Volume } from '../volume/index.ts';

/** `scripts/peers/` of the checkout this module runs from (src/experiments/ or dist/experiments/). */
export const PEER_SOURCE = fileURLToPath(new URL('../../scripts/peers/', import.meta.url));

/** A peer program, or why it cannot run here. */
export type PeerStatus = { binary: string } | { available: false; reason: string };

/** The absolute path of `name` on PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The built ITK peer `name` (cmake build in the temp folder, once per machine), or why it is not available. */
export function itkPeer(name: string): PeerStatus {
  const build = join(tmpdir(), 'multirater-itk-peer');
  const binary = join(build, name);
  if (existsSync(binary)) return { binary };
  if (!existsSync(join(PEER_SOURCE, 'CMakeLists.txt')))
    return { available: false, reason: `${PEER_SOURCE}: no peer sources (not a source checkout)` };
  mkdirSync(build, { recursive: true });
  const configure = spawnSync('cmake', ['-S', PEER_SOURCE, '-B', build, '-DCMAKE_BUILD_TYPE=Release'], {
    encoding: 'utf8',
  });
  if (configure.status !== 0)
    return { available: false, reason: 'cmake cannot find ITK (apt-get install libinsighttoolkit5-dev cmake)' };
  const make = spawnSync('cmake', ['--build', build, '--target', name], { encoding: 'utf8' });
  if (make.status !== 0)
    return { available: false, reason: `ITK peer build failed: ${make.stderr.trim().split('\n').pop()}` };
  return { binary };
}

/** The elastix peer script when `elastix` and `transformix` are on PATH and the script is present. */
export function elastixPeer(): PeerStatus {
  const script = join(PEER_SOURCE, 'elastix-pairs.sh');
  if (!existsSync(script)) return { available: false, reason: `${script}: not found (not a source checkout)` };
  if (onPath('elastix') === null || onPath('transformix') === null)
    return { available: false, reason: 'elastix/transformix not on PATH (apt-get install elastix)' };
  return { binary: script };
}

/** elastix's version line, or null. */
export function elastixVersion(): string | null {
  const r = spawnSync('elastix', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Writes a 2D or 3D float image as MetaImage (`.mhd` + `.raw`), origin 0, identity direction. */
function writeMetaImage(path: string, image: Volume): void {
  const d = image.shape.length;
  const raw = path.replace(/\.mhd$/, '.raw');
  const identity = Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
  const header = [
    'ObjectType = Image',
    `NDims = ${d}`,
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    'CompressedData = False',
    `TransformMatrix = ${identity.join(' ')}`,
    `Offset = ${Array(d).fill(0).join(' ')}`,
    `ElementSpacing = ${image.spacing.slice(0, d).join(' ')}`,
    `DimSize = ${image.shape.join(' ')}`,
    'ElementType = MET_FLOAT',
    `ElementDataFile = ${raw.split('/').pop()}`,
  ];
  writeFileSync(path, header.join('\n') + '\n');
  writeFileSync(raw, Float32Array.from(image.data));
}

/** Reads a vector MetaImage written by transformix (`deformationField.mhd`) into a field on `like`'s grid. */
function readDeformationField(path: string, like: Volume): DisplacementField {
  const header = Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );
  const field = zeroField(like);
  const d = field.shape.length;
  const n = voxelCount(field.shape);
  const bytes = readFileSync(join(dirname(path), header.ElementDataFile));
  const type = header.ElementType;
  const values =
    type === 'MET_DOUBLE'
      ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8)
      : type === 'MET_FLOAT'
        ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
        : null;
  if (values === null || values.length !== n * d)
    throw new MultiraterError(
      'invalid_argument',
      `${path}: expected ${n}×${d} float displacements, found ${type} × ${bytes.byteLength} bytes`,
    );
  for (let p = 0; p < n; p++) for (let c = 0; c < d; c++) field.components[c][p] = values[d * p + c];
  return field;
}

/**
 * Registers each `moving[i]` onto `fixed[i]` (2D or 3D, same grid within a pair) with the elastix peer, in one
 * call of its script; returns the fields (mm along the voxel axes) and the call's wall seconds.
 */
export function elastixRegisterPairs(
  script: string,
  pairs: readonly { fixed: Volume; moving: Volume }[],
): { fields: DisplacementField[]; seconds: number } {
  const scratch = mkdtempSync(join(tmpdir(), 'multirater-elastix-'));
  try {
    const lines = pairs.map((pair, i) => {
      const dir = join(scratch, `p${i}`);
      mkdirSync(dir);
      writeMetaImage(join(dir, 'fixed.mhd'), pair.fixed);
      writeMetaImage(join(dir, 'moving.mhd'), pair.moving);
      return `${join(dir, 'fixed.mhd')} ${join(dir, 'moving.mhd')} ${dir}`;
    });
    writeFileSync(join(scratch, 'pairs.txt'), lines.join('\n') + '\n');
    const started = performance.now();
    const run = spawnSync('sh', [script, join(scratch, 'pairs.txt')], { encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0)
      throw new MultiraterError(
        'invalid_argument',
        `${script}: elastix failed: ${run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`}`,
      );
    return {
      fields: pairs.map((pair, i) => readDeformationField(join(scratch, `p${i}`, 'deformationField.mhd'), pair.fixed)),
      seconds,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What ITK's demons peer reports for one pair. */
export interface ItkDemonsRun {
  /** Displacement field on the fixed image's grid, mm along the voxel axes (the peer resets origin and direction). */
  field: DisplacementField;
  /** In-filter wall seconds (median over the runs). */
  seconds: number;
  /** In-filter CPU seconds (median over the runs); ITK runs on one thread. */
  cpuSeconds: number;
  /** Iterations the filter ran (ITK's elapsed iterations). */
  iterations: number;
  /** ITK's version as the binary reports it. */
  version: string;
}

/** ITK's DiffeomorphicDemonsRegistrationFilter on one pair (single-threaded), as `scripts/peers/itk-demons.cxx` runs it. */
export function itkDemons(
  binary: string,
  fixed: Volume,
  moving: Volume,
  settings: { iterations: number; sigma: number; runs?: number },
): ItkDemonsRun {
  const scratch = mkdtempSync(join(tmpdir(), 'multirater-itk-demons-'));
  try {
    const float = (v: Volume): Volume =>
      createVolume([...v.shape], Float32Array.from(v.data), { spacing: v.spacing, affine: v.affine });
    writeNifti(join(scratch, 'f.nii'), float(fixed));
    writeNifti(join(scratch, 'm.nii'), float(moving));
    const d = fixed.shape.length;
    const args = [
      String(d),
      String(settings.runs ?? 1),
      String(settings.iterations),
      String(settings.sigma),
      join(scratch, 'f.nii'),
      join(scratch, 'm.nii'),
      join(scratch, 'field.raw'),
    ];
    const run = spawnSync(binary, args, {
      encoding: 'utf8',
      env: { ...process.env, ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS: '1' },
    });
    if (run.status !== 0)
      throw new MultiraterError(
        'invalid_argument',
        `${binary}: ITK run failed: ${run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`}`,
      );
    const out = JSON.parse(run.stdout) as {
      secondsMedian: number;
      cpuSecondsMedian: number;
      iterations: number;
      version: string;
    };
    const raw = new Float32Array(new Uint8Array(readFileSync(join(scratch, 'field.raw'))).buffer);
    const field = zeroField(fixed);
    for (let p = 0; p < raw.length / d; p++) for (let c = 0; c < d; c++) field.components[c][p] = raw[d * p + c];
    return {
      field,
      seconds: out.secondsMedian,
      cpuSeconds: out.cpuSecondsMedian,
      iterations: out.iterations,
      version: out.version,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
