/**
 * A synthetic CT for timing `multirater view` on a large case: 512×512×150 int16 (HU, 0.8×0.8×2 mm) with 21
 * ellipsoid organs inside an elliptic body, the truth, and two rater sets of 21 organs each (`grown`: every organ
 * 4 % larger; `shifted`: every organ moved 2 voxels along i and 1 slice). Noise from the seeded generator.
 *   npx tsx scripts/view-ct-dataset.ts OUT [--size 512] [--slices 150]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveDataset } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { Rng } from '../src/random/rng.ts';
import { createVolume, diagonalAffine } from '../src/volume/volume.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: view-ct-dataset.ts OUT [--size 512] [--slices 150]');
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = flag('--size', 512);
const Z = flag('--slices', 150);
const ORGANS = 21;
const spacing = [0.8, 0.8, 2];
const rng = new Rng(7);

interface Ellipsoid {
  c: number[];
  r: number[];
  hu: number;
}
// Organs on a 7×3 grid of centres inside the body, radii 4–9 % of the matrix in-plane and 10–30 % of the slices.
const organs: Ellipsoid[] = Array.from({ length: ORGANS }, (_, o) => ({
  c: [
    N * (0.2 + 0.1 * (o % 7)) + rng.uniform() * N * 0.02,
    N * (0.35 + 0.15 * Math.floor(o / 7)),
    Z * (0.3 + 0.4 * rng.uniform()),
  ],
  r: [N * (0.04 + 0.05 * rng.uniform()), N * (0.04 + 0.05 * rng.uniform()), Z * (0.1 + 0.2 * rng.uniform())],
  hu: Math.round(-100 + 200 * rng.uniform()),
}));

function labelMap(scale: number, shift: number[]): Uint8Array {
  const labels = new Uint8Array(N * N * Z);
  organs.forEach((e, o) => {
    const c = e.c.map((x, a) => x + shift[a]);
    const r = e.r.map((x) => x * scale);
    const lo = c.map((x, a) => Math.max(0, Math.floor(x - r[a])));
    const hi = c.map((x, a) => Math.min([N, N, Z][a] - 1, Math.ceil(x + r[a])));
    for (let k = lo[2]; k <= hi[2]; k++) {
      const dz = (k - c[2]) / r[2];
      for (let j = lo[1]; j <= hi[1]; j++) {
        const dy = (j - c[1]) / r[1];
        const row = (k * N + j) * N;
        for (let i = lo[0]; i <= hi[0]; i++) {
          const dx = (i - c[0]) / r[0];
          if (dx * dx + dy * dy + dz * dz <= 1) labels[row + i] = o + 1;
        }
      }
    }
  });
  return labels;
}

const truth = labelMap(1, [0, 0, 0]);
const image = new Int16Array(N * N * Z);
for (let k = 0, v = 0; k < Z; k++) {
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++, v++) {
      const bx = (i - N / 2) / (N * 0.45);
      const by = (j - N / 2) / (N * 0.35);
      const body = bx * bx + by * by <= 1;
      const hu = truth[v] ? organs[truth[v] - 1].hu : body ? 40 : -1000;
      image[v] = hu + Math.round((rng.uniform() - 0.5) * 40);
    }
  }
}
const affine = diagonalAffine(spacing, [-N * 0.4, -N * 0.4, 0]);
const vol = (data: Int16Array | Uint8Array) => createVolume([N, N, Z], data, { spacing, affine });
for (const dir of ['images', 'truth', 'raters/grown', 'raters/shifted']) mkdirSync(join(out, dir), { recursive: true });
writeNifti(join(out, 'images/ct001.nii.gz'), vol(image), { strategy: 'huffman' });
writeNifti(join(out, 'truth/ct001.nii.gz'), vol(truth), { strategy: 'rle' });
writeNifti(join(out, 'raters/grown/ct001.nii.gz'), vol(labelMap(1.04, [0, 0, 0])), { strategy: 'rle' });
writeNifti(join(out, 'raters/shifted/ct001.nii.gz'), vol(labelMap(1, [2, 0, 1])), { strategy: 'rle' });
saveDataset(out, {
  name: 'synthetic-ct-21-organs',
  labels: Object.fromEntries(Array.from({ length: ORGANS }, (_, o) => [String(o + 1), `organ${o + 1}`])),
  raters: ['grown', 'shifted'],
  cases: [
    {
      id: 'ct001',
      image: 'images/ct001.nii.gz',
      truth: 'truth/ct001.nii.gz',
      raters: { grown: 'raters/grown/ct001.nii.gz', shifted: 'raters/shifted/ct001.nii.gz' },
      meta: { split: 'test' },
    },
  ],
});
console.log(`${out}: ${N}×${N}×${Z} CT, ${ORGANS} organs, raters grown and shifted`);
