/**
 * Benchmark: every metric of `evaluatePair` on a 256×256×128 pair (one core), median of repeated runs, as JSON.
 * Run: `npx tsx scripts/bench-metrics.ts [--repeats N]`.
 * Peer: when /usr/bin/python3 has scipy, the same metrics the usual way (surface by binary erosion, scipy's
 * `distance_transform_edt` with sampling, both directions) on the same bytes — over the whole grid as most code does,
 * and over the same union box plus one voxel that we use; skipped otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePair } from '../src/metrics/evaluate-pair.ts';
import { createVolume, type Volume } from '../src/volume/volume.ts';

const SHAPE = [256, 256, 128];
const SPACING = [1.25, 1.25, 2.5];
const repeatsArg = process.argv.indexOf('--repeats');
const REPEATS = repeatsArg > 0 ? Number(process.argv[repeatsArg + 1]) : 7;

/** Nested ellipsoids: label 3 inside 2 inside 1 (cardiac-like), centre and radii in voxels, scaled by `grow`. */
function phantom(centre: number[], grow: number, wobble: number): Volume {
  const [nx, ny, nz] = SHAPE;
  const data = new Uint8Array(nx * ny * nz);
  const radii = [70, 60, 40].map((r) => r * grow);
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, idx++) {
        const dx = (x - centre[0]) / radii[0];
        const dy = (y - centre[1]) / radii[1];
        const dz = (z - centre[2]) / radii[2];
        const r = Math.sqrt(dx * dx + dy * dy + dz * dz) * (1 + wobble * Math.sin(x / 7) * Math.cos(y / 9));
        data[idx] = r < 0.5 ? 3 : r < 0.7 ? 2 : r < 1 ? 1 : 0;
      }
    }
  }
  return createVolume(SHAPE, data, { spacing: SPACING });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall-clock and CPU (user + system) milliseconds of one call; CPU time is steadier on a shared machine. */
function timeMs(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function binarise(v: Volume): Volume {
  const data = new Uint8Array(v.data.length);
  for (let i = 0; i < data.length; i++) data[i] = v.data[i] !== 0 ? 1 : 0;
  return createVolume(v.shape, data, { spacing: v.spacing });
}

const pred = phantom([130, 125, 62], 1.0, 0.04);
const ref = phantom([126, 128, 64], 0.97, 0);
const predBinary = binarise(pred);
const refBinary = binarise(ref);

evaluatePair(predBinary, refBinary);
const binaryTimes = Array.from({ length: REPEATS }, () => timeMs(() => evaluatePair(predBinary, refBinary)));
const labelTimes = Array.from({ length: REPEATS }, () => timeMs(() => evaluatePair(pred, ref)));
const check = evaluatePair(predBinary, refBinary).labels['1'];

const PEER = String.raw`
import sys, time, json
import numpy as np
from scipy import ndimage
nx, ny, nz = 256, 256, 128
sp = (2.5, 1.25, 1.25)
pred = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
ref = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
st = ndimage.generate_binary_structure(3, 1)
def crop(p, r):
    idx = np.nonzero(p | r)
    box = tuple(slice(max(int(i.min()) - 1, 0), int(i.max()) + 2) for i in idx)
    return p[box], r[box]
def metrics(cropped):
    p, r = crop(pred, ref) if cropped else (pred, ref)
    sp_ = p & ~ndimage.binary_erosion(p, st, border_value=0)
    sr_ = r & ~ndimage.binary_erosion(r, st, border_value=0)
    a = ndimage.distance_transform_edt(~sr_, sampling=sp)[sp_]
    b = ndimage.distance_transform_edt(~sp_, sampling=sp)[sr_]
    tp = np.count_nonzero(pred & ref)
    return dict(dice=2 * tp / (pred.sum() + ref.sum()), hd=max(a.max(), b.max()),
                hd95=max(np.percentile(a, 95), np.percentile(b, 95)),
                assd=(a.sum() + b.sum()) / (a.size + b.size), masd=(a.mean() + b.mean()) / 2)
def timed(cropped):
    times, cpu = [], []
    for _ in range(int(sys.argv[3])):
        t0, c0 = time.perf_counter(), time.process_time()
        m = metrics(cropped)
        times.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
    return dict(medianMs=float(np.median(times)), medianCpuMs=float(np.median(cpu)), metrics={k: float(v) for k, v in m.items()})
print(json.dumps(dict(wholeGrid=timed(False), unionBox=timed(True))))
`;

function peer(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
  try {
    writeFileSync(join(dir, 'pred.u8'), predBinary.data);
    writeFileSync(join(dir, 'ref.u8'), refBinary.data);
    writeFileSync(join(dir, 'peer.py'), PEER);
    const run = spawnSync(
      '/usr/bin/python3',
      [join(dir, 'peer.py'), join(dir, 'pred.u8'), join(dir, 'ref.u8'), String(REPEATS)],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      },
    );
    if (run.error || run.status !== 0)
      return {
        skipped: `python3 with scipy unavailable (${run.error?.message ?? run.stderr.trim().split('\n').pop()})`,
      };
    return {
      tool: 'scipy.ndimage.distance_transform_edt (binary_erosion surfaces), on the whole grid and on the same union box',
      ...JSON.parse(run.stdout),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'metrics',
      shape: SHAPE,
      spacing_mm: SPACING,
      repeats: REPEATS,
      binary: {
        medianMs: median(binaryTimes.map((t) => t.wall)),
        medianCpuMs: median(binaryTimes.map((t) => t.cpu)),
        metrics: { dice: check.dice, hd: check.hd, hd95: check.hd95, assd: check.assd, masd: check.masd },
      },
      threeLabels: {
        medianMs: median(labelTimes.map((t) => t.wall)),
        medianCpuMs: median(labelTimes.map((t) => t.cpu)),
      },
      peer: peer(),
    },
    null,
    2,
  ) + '\n',
);
