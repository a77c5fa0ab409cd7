/**
 * Cold-start benchmark: whole `multirater` processes as a user starts them, as JSON. Rounds alternate every command
 * (and the peers), so all see the same machine load; medians of wall and CPU (user + system, from /usr/bin/time).
 *   `multirater --help`, `info` on a small file, `eval` of a 256×256×128 pair (every metric) and of a 512×512×150
 *   CT-like mask pair (a mandible-like horseshoe tube of 0.98×0.98×2.5 mm voxels, two raters' contours),
 *   `node -e 0` (Node alone), and ITK's HausdorffDistanceImageFilter as a process (scripts/peers/itk-hausdorff.cxx)
 *   on the same pairs when Debian's libinsighttoolkit5-dev is installed;
 *   `register --method demons --iterations 50 --sigma 1 --warp` on one 96×96 mid-ventricular slice pair of the cardiac
 *   phantom (ES fixed, ED moving), with ITK's DiffeomorphicDemonsRegistrationFilter as a process on the same pair
 *   and settings (scripts/peers/itk-demons.cxx, ITK's default threads) as its peer;
 *   and the demons kernel in-process: a fresh Node process that imports dist/registration/demons.js and times its
 *   first call on that pair (what `register` pays) and the median of 5 more (warm), CPU and wall.
 * Run: `npx tsx scripts/bench-startup.ts [--rounds 7] [--before OLD_BIN]` (OLD_BIN: another checkout's
 * bin/multirater.js, timed the same way for a before/after figure; its dist/ gives the in-process before row).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNifti } from '../src/io/write-nifti.ts';
import { cardiacPhantom } from '../src/phantom/cardiac/cardiac-phantom.ts';
import { extractFrame, extractSlice } from '../src/volume/slice.ts';
import { createVolume, type Volume } from '../src/volume/volume.ts';
import { itkPeer } from './peers/build-peer.ts';

const argValue = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(argValue('--rounds') ?? 7);
const BEFORE = argValue('--before');
const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/multirater.js');
const SHAPE = [256, 256, 128];
const SPACING = [1.25, 1.25, 2.5];

/** An ellipsoid mask, centre and radii in voxels. */
function ellipsoid(centre: number[], radii: number[]): Volume {
  const [nx, ny, nz] = SHAPE;
  const data = new Uint8Array(nx * ny * nz);
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const d =
          ((x - centre[0]) / radii[0]) ** 2 + ((y - centre[1]) / radii[1]) ** 2 + ((z - centre[2]) / radii[2]) ** 2;
        data[i] = d < 1 ? 1 : 0;
      }
  return createVolume(SHAPE, data, { spacing: SPACING });
}

/**
 * A mandible-like horseshoe tube on a 512×512×150 CT grid (0.98×0.98×2.5 mm): ring radius `r0` mm in the axial plane
 * (flattened front to back), tube radius `tube` mm with a slow wobble, shifted `shift` voxels in x — two raters'
 * contours of one bone differ by a millimetre or two.
 */
function horseshoe(r0: number, tube: number, shift: number): Volume {
  const [nx, ny, nz] = [512, 512, 150];
  const data = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++) {
    const zc = (z - 75) * 2.5;
    for (let y = 0; y < ny; y++) {
      const py = (y - 300) * 0.98;
      if (py < -60) continue;
      for (let x = 0; x < nx; x++) {
        const t = Math.hypot(Math.hypot((x - 256 - shift) * 0.98, py * 1.3) - r0, zc * 0.8);
        if (t < tube + 3 * Math.sin(z / 9 + x / 40)) data[x + nx * (y + ny * z)] = 1;
      }
    }
  }
  return createVolume([nx, ny, nz], data, { spacing: [0.98, 0.98, 2.5] });
}

interface Timing {
  wall: number;
  cpu: number;
}

/** One process: wall seconds measured here, CPU seconds from /usr/bin/time when present. */
function timeProcess(command: string, args: string[]): Timing {
  const timed = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys] = last.split(' ').map(Number);
  return { wall, cpu: timed ? user + sys : NaN };
}

/** Writes the mid slice of ES (fixed), ED (moving, float32) and the ED truth of one phantom subject; returns their paths. */
function writeSlicePair(dir: string): { fixed: string; moving: string; labels: string } {
  const subject = cardiacPhantom({ group: 'NOR', seed: 10 });
  const image = subject.image as Volume;
  const k = image.shape[2] >> 1;
  const slice = (v: Volume, t: number, float: boolean): Volume => {
    const s = extractSlice(extractFrame(v, t), { index: k });
    return float ? createVolume(s.shape, Float32Array.from(s.data), { spacing: s.spacing, affine: s.affine }) : s;
  };
  const paths = {
    fixed: join(dir, 'fixed.nii.gz'),
    moving: join(dir, 'moving.nii.gz'),
    labels: join(dir, 'labels.nii.gz'),
  };
  writeNifti(paths.fixed, slice(image, subject.esFrame, true));
  writeNifti(paths.moving, slice(image, subject.edFrame, true));
  writeNifti(paths.labels, slice(subject.labels, subject.edFrame, false));
  return paths;
}

/** The demons kernel of the checkout at `root` (its dist/) in a fresh process: first call, then the median of 5 more. */
function timeDemonsInProcess(root: string, fixed: string, moving: string): { first: Timing; warm: Timing } {
  const code = `
    const { readVolume } = await import(${JSON.stringify(join(root, 'dist/io/read-volume.js'))});
    const { demons } = await import(${JSON.stringify(join(root, 'dist/registration/demons.js'))});
    const [f, m] = [readVolume(${JSON.stringify(fixed)}), readVolume(${JSON.stringify(moving)})];
    const run = () => { const c = process.cpuUsage(); const t = performance.now(); demons(f, m, { iterations: 50, standardDeviation: 1 });
      const u = process.cpuUsage(c); return { wall: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6 }; };
    const first = run();
    const warm = Array.from({ length: 5 }, run).sort((a, b) => a.wall - b.wall)[2];
    process.stdout.write(JSON.stringify({ first, warm }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`in-process demons of ${root} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as { first: Timing; warm: Timing };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
try {
  const a = join(dir, 'a.nii.gz');
  const b = join(dir, 'b.nii.gz');
  const small = join(dir, 'small.nii.gz');
  writeNifti(a, ellipsoid([128, 128, 64], [70, 60, 40]));
  writeNifti(b, ellipsoid([131, 126, 65], [66, 63, 38]));
  writeNifti(small, createVolume([16, 16, 8], new Uint8Array(16 * 16 * 8).fill(1), { spacing: [1, 1, 2] }));
  const ctA = join(dir, 'ct-a.nii.gz');
  const ctB = join(dir, 'ct-b.nii.gz');
  writeNifti(ctA, horseshoe(70, 14, 0));
  writeNifti(ctB, horseshoe(71, 12.5, 1.5));
  const pair = writeSlicePair(dir);
  const register = (bin: string): string[] => [
    bin,
    'register',
    '--fixed',
    pair.fixed,
    '--moving',
    pair.moving,
    '--method',
    'demons',
    '--iterations',
    '50',
    '--sigma',
    '1',
    '--warp',
    pair.labels,
    '--out',
    join(dir, 'warped.nii.gz'),
  ];
  const node = process.execPath;
  const cases: Record<string, [string, string[]]> = {
    nodeAlone: [node, ['-e', '0']],
    help: [node, [BIN, '--help']],
    info: [node, [BIN, 'info', small]],
    eval: [node, [BIN, 'eval', '--pred', a, '--ref', b, '--json']],
    evalCt: [node, [BIN, 'eval', '--pred', ctA, '--ref', ctB, '--json']],
    register: [node, register(BIN)],
  };
  if (BEFORE) {
    cases.beforeHelp = [node, [BEFORE, '--help']];
    cases.beforeInfo = [node, [BEFORE, 'info', small]];
    cases.beforeEval = [node, [BEFORE, 'eval', '--pred', a, '--ref', b, '--json']];
    cases.beforeEvalCt = [node, [BEFORE, 'eval', '--pred', ctA, '--ref', ctB, '--json']];
    cases.beforeRegister = [node, register(BEFORE)];
  }
  const peer = itkPeer('itk-hausdorff');
  if ('binary' in peer) {
    cases.itkHausdorff = [peer.binary, [a, b]];
    cases.itkHausdorffCt = [peer.binary, [ctA, ctB]];
  }
  const demonsPeer = itkPeer('itk-demons');
  // DIM RUNS ITERATIONS SIGMA FIXED MOVING FIELD: one run, the settings of the register row.
  if ('binary' in demonsPeer)
    cases.itkDemons = [demonsPeer.binary, ['2', '1', '50', '1', pair.fixed, pair.moving, join(dir, 'itk-field.raw')]];
  const kernels: Record<string, string> = {
    demonsInProcess: resolve(BIN, '../..'),
    ...(BEFORE ? { beforeDemonsInProcess: resolve(BEFORE, '../..') } : {}),
  };
  const times: Record<string, Timing[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const inProcess: Record<string, { first: Timing; warm: Timing }[]> = Object.fromEntries(
    Object.keys(kernels).map((k) => [k, []]),
  );
  for (const [k, [cmd, args]] of Object.entries(cases)) timeProcess(cmd, args); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, [cmd, args]] of Object.entries(cases)) times[k].push(timeProcess(cmd, args));
    for (const [k, root] of Object.entries(kernels))
      inProcess[k].push(timeDemonsInProcess(root, pair.fixed, pair.moving));
  }
  const result: Record<string, unknown> = { rounds: ROUNDS, loadAverage: loadavg()[0], shape: SHAPE };
  for (const [k, t] of Object.entries(times)) {
    result[k] = {
      wallMedian: +median(t.map((x) => x.wall)).toFixed(3),
      cpuMedian: +median(t.map((x) => x.cpu)).toFixed(3),
    };
  }
  const ratio = (ours: string, theirs: string, pick: 'wall' | 'cpu') =>
    +(median(times[ours].map((x) => x[pick])) / median(times[theirs].map((x) => x[pick]))).toFixed(3);
  const over = (k: string) =>
    +(median(times[k].map((x) => x.wall)) - median(times.nodeAlone.map((x) => x.wall))).toFixed(3);
  result.overNodeAloneWall = { help: over('help'), info: over('info') };
  if ('binary' in peer) {
    result.evalOverItkWall = ratio('eval', 'itkHausdorff', 'wall');
    result.evalOverItkCpu = ratio('eval', 'itkHausdorff', 'cpu');
    result.evalCtOverItkWall = ratio('evalCt', 'itkHausdorffCt', 'wall');
    result.evalCtOverItkCpu = ratio('evalCt', 'itkHausdorffCt', 'cpu');
  } else result.itkHausdorff = peer;
  for (const [k, t] of Object.entries(inProcess)) {
    const stat = (pick: (x: { first: Timing; warm: Timing }) => number) => +median(t.map(pick)).toFixed(4);
    result[k] = {
      firstCallWallMedian: stat((x) => x.first.wall),
      firstCallCpuMedian: stat((x) => x.first.cpu),
      warmWallMedian: stat((x) => x.warm.wall),
      warmCpuMedian: stat((x) => x.warm.cpu),
    };
  }
  if (BEFORE) {
    const before = inProcess.beforeDemonsInProcess;
    const after = inProcess.demonsInProcess;
    const speedup = (pick: (x: { first: Timing; warm: Timing }) => number) =>
      +(median(before.map(pick)) / median(after.map(pick))).toFixed(3);
    result.demonsSpeedupFirstCall = { wall: speedup((x) => x.first.wall), cpu: speedup((x) => x.first.cpu) };
    result.demonsSpeedupWarm = { wall: speedup((x) => x.warm.wall), cpu: speedup((x) => x.warm.cpu) };
  }
  if ('binary' in demonsPeer) {
    result.registerOverItkWall = ratio('register', 'itkDemons', 'wall');
    result.registerOverItkCpu = ratio('register', 'itkDemons', 'cpu');
  } else result.itkDemons = demonsPeer;
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
