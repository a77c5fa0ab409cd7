/**
 * Benchmark: STAPLE (and majority vote, multi-label STAPLE) on 7 raters of 256×256×128, median wall time of the
 * in-memory fusion call (wall and CPU time; the machine's load average is printed too). When Debian's ITK
 * (libinsighttoolkit5-dev) and cmake are installed, ITK's STAPLEImageFilter is timed in the same run on the same
 * raters (in-filter, one thread, like ours); otherwise it is reported as unavailable.
 * Run: npx tsx scripts/bench-fusion.ts [--runs 5]. Prints JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { majorityVote, multiLabelStaple, staple } from '../src/fusion/index.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { median, timeRuns } from './bench-timing.ts';
import { itkPeer } from './peers/build-peer.ts';
import { Rng } from '../src/random/rng.ts';
import { createVolume, type Volume } from '../src/volume/volume.ts';

const SHAPE = [256, 256, 128];
const RATERS = 7;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

/** Rater k: an ellipsoid whose radii are scaled by its own factor, plus 0.2 % of voxels flipped at random. */
function makeRaters(): Volume[] {
  const rng = new Rng(2024);
  const [nx, ny, nz] = SHAPE;
  return Array.from({ length: RATERS }, (_, k) => {
    const scale = 0.9 + 0.2 * (k / (RATERS - 1));
    const r = rng.fork(k);
    const data = new Uint8Array(nx * ny * nz);
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) {
          const inside =
            ((x - 128) / (70 * scale)) ** 2 + ((y - 120) / (50 * scale)) ** 2 + ((z - 64) / (40 * scale)) ** 2 <= 1;
          const flip = r.uniform() < 0.002;
          data[(z * ny + y) * nx + x] = inside !== flip ? 1 : 0;
        }
      }
    }
    return createVolume(SHAPE, data, { spacing: [1, 1, 1] });
  });
}

function summary(t: { seconds: number[]; cpuSeconds: number[] }): object {
  return { secondsMedian: median(t.seconds), cpuSecondsMedian: median(t.cpuSeconds), seconds: t.seconds };
}

/**
 * ITK's STAPLEImageFilter timed in-filter by a small C++ program (scripts/peers/itk-staple.cxx), built with cmake
 * against Debian's libinsighttoolkit5-dev when it is installed, on the same raters written as NIfTI.
 */
function timeItk(raters: Volume[]): object {
  const peer = itkPeer('itk-staple');
  if (!('binary' in peer)) return peer;
  const binary = peer.binary;
  const dir = mkdtempSync(join(tmpdir(), 'bench-fusion-'));
  try {
    const files = raters.map((r, i) => {
      const file = join(dir, `rater${i + 1}.nii`);
      writeNifti(file, r);
      return file;
    });
    const run = spawnSync(binary, [String(RUNS), ...files], {
      encoding: 'utf8',
      env: { ...process.env, ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS: '1' },
    });
    if (run.status !== 0) return { available: false, reason: `ITK run failed: ${run.stderr.trim().split('\n').pop()}` };
    const out = JSON.parse(run.stdout) as { secondsMedian: number; iterations: number; version: string };
    return {
      available: true,
      version: out.version,
      threads: 1,
      stapleSecondsMedian: out.secondsMedian,
      elapsedIterations: out.iterations,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const raters = makeRaters();
const stapleRuns = await timeRuns(RUNS, () => staple(raters));
const voteRuns = await timeRuns(RUNS, () => majorityVote(raters));
const multiRuns = await timeRuns(RUNS, () => multiLabelStaple(raters));
const itk = timeItk(raters) as { stapleSecondsMedian?: number };
const ours = summary(stapleRuns) as { secondsMedian: number };
process.stdout.write(
  JSON.stringify(
    {
      shape: SHAPE,
      raters: RATERS,
      runs: RUNS,
      node: process.version,
      loadAverage: loadavg(),
      staple: { ...ours, iterations: stapleRuns.last.iterations },
      majority: summary(voteRuns),
      multiLabelStaple: { ...summary(multiRuns), iterations: multiRuns.last.iterations },
      itk,
      stapleTimeRatioToItk: itk.stapleSecondsMedian ? ours.secondsMedian / itk.stapleSecondsMedian : null,
    },
    null,
    2,
  ) + '\n',
);
