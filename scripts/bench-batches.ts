/**
 * Benchmark: time to prepare one training batch (8 slices of 128×128, every augmentation applied to every
 * sample, elastic included) from synthetic short-axis-like stacks. Prints JSON with the median over the runs.
 * Usage: npx tsx scripts/bench-batches.ts [--runs N] [--dims 2|3]
 */
import { performance } from 'node:perf_hooks';
import { createVolume } from '../src/volume/volume.ts';
import { BatchLoader, type TrainingCase } from '../src/data/index.ts';
import { defaultAugmentation, type AugmentationConfig } from '../src/augment/index.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 30);
const dims = (args.includes('--dims') ? Number(args[args.indexOf('--dims') + 1]) : 2) as 2 | 3;

function stack(id: number): TrainingCase {
  const [nx, ny, nz] = [144, 144, 10];
  const img = new Float32Array(nx * ny * nz);
  const lab = new Uint8Array(nx * ny * nz);
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const r = Math.hypot(i - 72 - id, j - 70);
        lab[p] = r < 14 ? 3 : r < 20 ? 2 : 0;
        img[p] = (lab[p] === 3 ? 2 : lab[p] === 2 ? -1 : 0) + 0.1 * Math.sin(i * 0.7 + j * 1.3 + k);
      }
    }
  }
  const spacing = [1.5, 1.5, 10];
  return {
    id: `s${id}`,
    image: createVolume([nx, ny, nz], img, { spacing }),
    label: createVolume([nx, ny, nz], lab, { spacing }),
    meta: {},
  };
}

function everything(d: 2 | 3): AugmentationConfig {
  const a = defaultAugmentation(d);
  return {
    flip: { probability: 0.5 },
    rotation: { ...a.rotation, probability: 1 },
    scale: { ...a.scale, probability: 1 },
    translation: { ...a.translation, probability: 1 },
    elastic: { ...a.elastic, probability: 1 },
    noise: { ...a.noise, probability: 1 },
    blur: { ...a.blur, probability: 1 },
    brightness: { ...a.brightness, probability: 1 },
    contrast: { ...a.contrast, probability: 1 },
    gamma: { ...a.gamma, probability: 1 },
  };
}

const cases = [0, 1, 2, 3, 4, 5].map(stack);
const patchSize = dims === 2 ? [128, 128] : [96, 96, 8];
const loader = new BatchLoader(cases, { patchSize, batchSize: 8, seed: 1, augmentation: everything(dims) });
loader.batch(0);
const times: number[] = [];
for (let k = 1; k <= runs; k++) {
  const t0 = performance.now();
  loader.batch(k);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    benchmark: 'batch-preparation',
    batchSize: 8,
    patchSize,
    augmentation: 'all on (flip p 0.5 per axis, every other transform p 1, elastic included)',
    runs,
    medianMs: +times[Math.floor(runs / 2)].toFixed(2),
    minMs: +times[0].toFixed(2),
    maxMs: +times[runs - 1].toFixed(2),
  }),
);
