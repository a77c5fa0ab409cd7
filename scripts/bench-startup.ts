/**
 * Cold-start benchmark: whole `multirater` processes as a user starts them, as JSON. Rounds alternate every command
 * (and the peers), so all see the same machine load; medians of wall and CPU (user + system, from /usr/bin/time).
 *   `multirater --help`, `info` on a small file, `eval` of a 256×256×128 pair (every metric),
 *   `node -e 0` (Node alone), and ITK's HausdorffDistanceImageFilter as a process (scripts/peers/itk-hausdorff.cxx)
 *   on the same pair when Debian's libinsighttoolkit5-dev is installed.
 * Run: `npx tsx scripts/bench-startup.ts [--rounds 7] [--before OLD_BIN]` (OLD_BIN: another checkout's
 * bin/multirater.js, timed the same way for a before/after figure).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNifti } from '../src/io/write-nifti.ts';
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
        const d = ((x - centre[0]) / radii[0]) ** 2 + ((y - centre[1]) / radii[1]) ** 2 + ((z - centre[2]) / radii[2]) ** 2;
        data[i] = d < 1 ? 1 : 0;
      }
  return createVolume(SHAPE, data, { spacing: SPACING });
}

interface Timing {
  wall: number;
  cpu: number;
}

/** One process: wall seconds measured here, CPU seconds from /usr/bin/time when present. */
function timeProcess(command: string, args: string[]): Timing {
  const timed = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = timed ? spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys] = last.split(' ').map(Number);
  return { wall, cpu: timed ? user + sys : NaN };
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
  const node = process.execPath;
  const cases: Record<string, [string, string[]]> = {
    nodeAlone: [node, ['-e', '0']],
    help: [node, [BIN, '--help']],
    info: [node, [BIN, 'info', small]],
    eval: [node, [BIN, 'eval', '--pred', a, '--ref', b, '--json']],
  };
  if (BEFORE) {
    cases.beforeHelp = [node, [BEFORE, '--help']];
    cases.beforeInfo = [node, [BEFORE, 'info', small]];
    cases.beforeEval = [node, [BEFORE, 'eval', '--pred', a, '--ref', b, '--json']];
  }
  const peer = itkPeer('itk-hausdorff');
  if ('binary' in peer) cases.itkHausdorff = [peer.binary, [a, b]];
  const times: Record<string, Timing[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const [k, [cmd, args]] of Object.entries(cases)) timeProcess(cmd, args); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) for (const [k, [cmd, args]] of Object.entries(cases)) times[k].push(timeProcess(cmd, args));
  const result: Record<string, unknown> = { rounds: ROUNDS, loadAverage: loadavg()[0], shape: SHAPE };
  for (const [k, t] of Object.entries(times)) {
    result[k] = { wallMedian: +median(t.map((x) => x.wall)).toFixed(3), cpuMedian: +median(t.map((x) => x.cpu)).toFixed(3) };
  }
  if ('binary' in peer) {
    const ours = median(times.eval.map((x) => x.wall));
    const itk = median(times.itkHausdorff.map((x) => x.wall));
    result.evalOverItkWall = +(ours / itk).toFixed(3);
    result.evalOverItkCpu = +(median(times.eval.map((x) => x.cpu)) / median(times.itkHausdorff.map((x) => x.cpu))).toFixed(3);
  } else result.itkHausdorff = peer;
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
