/**
 * NIfTI read/write benchmark: median wall time to write and to read a 256×256×128 uint8 label map as .nii.gz
 * (nested ellipsoids with labels 0–3 plus 2 % seeded speckle, so it compresses like a real label map).
 * When Debian's python3-nibabel is installed, nibabel reads (`get_fdata`-free: `np.asanyarray(img.dataobj)`) and writes
 * the same file in the same run, as the peer.
 * Run: `npx tsx scripts/bench-io.ts [--runs N]`; prints JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readNifti } from '../src/io/read-nifti.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { createVolume } from '../src/volume/volume.ts';

const shape = [256, 256, 128];
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

function labelMap(): Uint8Array {
  const [nx, ny, nz] = shape;
  const data = new Uint8Array(nx * ny * nz);
  const rng = new Rng(1);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const r = ((i - 128) / 90) ** 2 + ((j - 120) / 70) ** 2 + ((k - 64) / 50) ** 2;
        let label = r < 0.3 ? 3 : r < 0.6 ? 2 : r < 1 ? 1 : 0;
        if (rng.uniform() < 0.02) label = rng.int(4);
        data[i + nx * (j + ny * k)] = label;
      }
    }
  }
  return data;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const volume = createVolume(shape, labelMap(), { spacing: [1.25, 1.25, 2] });
const dir = mkdtempSync(join(tmpdir(), 'multirater-bench-'));
const path = join(dir, 'labels.nii.gz');
const write: number[] = [];
const read: number[] = [];
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  writeNifti(path, volume);
  write.push((performance.now() - t) / 1000);
  t = performance.now();
  const back = readNifti(path).volume;
  read.push((performance.now() - t) / 1000);
  if (back.data.length !== volume.data.length) throw new Error('read back a different volume');
}
const fileBytes = statSync(path).size;
const NIBABEL = `
import sys, time, statistics, numpy as np, nibabel as nib
path, runs = sys.argv[1], int(sys.argv[2])
read, write = [], []
for _ in range(runs):
    t = time.perf_counter(); img = nib.load(path); data = np.asanyarray(img.dataobj); read.append(time.perf_counter() - t)
    t = time.perf_counter(); nib.save(nib.Nifti1Image(data, img.affine), path + '.peer.nii.gz'); write.append(time.perf_counter() - t)
print(statistics.median(read), statistics.median(write), nib.__version__)
`;
const peer = spawnSync('/usr/bin/python3', ['-c', NIBABEL, path, String(runs)], { encoding: 'utf8' });
const [peerRead, peerWrite, peerVersion] = peer.status === 0 ? peer.stdout.trim().split(/\s+/) : [];
const nibabel =
  peer.status === 0
    ? {
        available: true,
        version: peerVersion,
        readMedianSeconds: +Number(peerRead).toFixed(4),
        writeMedianSeconds: +Number(peerWrite).toFixed(4),
      }
    : { available: false, reason: 'python3 cannot import nibabel (apt-get install python3-nibabel)' };
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'nifti-io',
      shape,
      dtype: 'uint8',
      format: '.nii.gz',
      fileBytes,
      runs,
      readMedianSeconds: +median(read).toFixed(4),
      writeMedianSeconds: +median(write).toFixed(4),
      node: process.version,
      nibabel,
      readRatioToNibabel: nibabel.available ? +(median(read) / nibabel.readMedianSeconds!).toFixed(3) : null,
      writeRatioToNibabel: nibabel.available ? +(median(write) / nibabel.writeMedianSeconds!).toFixed(3) : null,
    },
    null,
    2,
  ) + '\n',
);
