/**
 * Validation batches: every voxel of every case covered, in a fixed order, without augmentation — so a validation
 * loss is comparable between checkpoints (checkpoint selection by validation loss, as the noisy-ratio study).
 * 2D: every slice of every case; 3D: tiles. Along an axis longer than the patch, ⌈n/p⌉ tiles are spread evenly
 * from the first voxel to the last (the last ones overlap, as nnU-Net's sliding window); a shorter axis gets one
 * centred, padded tile. The last batch may hold fewer samples; its shapes say so.
 */
import { identityIntensityParams } from '../augment/index.ts';
import { checkBatchGeometry, type Batch, type SampleRecord } from './prepare-batch.ts';
import type { SampleLocation } from './sample-location.ts';
import type { PoolCase } from './sampling-pool.ts';
import { identitySpatialParams, transformPatch } from '../augment/index.ts';

/** Options of `validationBatches` and `multiRaterValidationBatches`: tile size, batch size and padding. */
export interface ValidationBatchOptions {
  /** Patch size in voxels: [px, py] for slices, [px, py, pz] for 3D tiles. */
  patchSize: number[];
  /** Samples per batch (the last batch may be smaller). */
  batchSize: number;
  /** Image value outside the volume (normalised intensity units); default 0. */
  padValue?: number;
}

/** Tile starts along an axis of n voxels for patches of p voxels. */
export function tileStarts(n: number, p: number): number[] {
  if (p >= n) return [Math.floor((n - p) / 2)];
  const count = Math.ceil(n / p);
  return [...Array(count).keys()].map((t) => Math.round((t * (n - p)) / (count - 1)));
}

/** The patch centres covering every case, in case order, then k, j, i. */
export function validationLocations(pool: readonly PoolCase[], patchSize: readonly number[]): SampleLocation[] {
  const dims = patchSize.length;
  const out: SampleLocation[] = [];
  pool.forEach((c, caseIndex) => {
    const zs =
      dims === 3
        ? tileStarts(c.shape[2], patchSize[2]).map((s) => s + (patchSize[2] - 1) / 2)
        : [...Array(c.shape[2]).keys()];
    const ys = tileStarts(c.shape[1], patchSize[1]).map((s) => s + (patchSize[1] - 1) / 2);
    const xs = tileStarts(c.shape[0], patchSize[0]).map((s) => s + (patchSize[0] - 1) / 2);
    for (const z of zs)
      for (const y of ys) for (const x of xs) out.push({ caseIndex, centre: [x, y, z], foreground: false });
  });
  return out;
}

/** Yields the validation batches in order. */
export function* validationBatches(
  pool: readonly PoolCase[],
  options: ValidationBatchOptions,
): Generator<Batch, void, undefined> {
  const p = options.patchSize;
  checkBatchGeometry(p, options.batchSize);
  const dims = p.length as 2 | 3;
  const perSample = p.reduce((a, b) => a * b, 1);
  const spatial = [...p].reverse();
  const locations = validationLocations(pool, p);
  for (let first = 0, index = 0; first < locations.length; first += options.batchSize, index++) {
    const chunk = locations.slice(first, first + options.batchSize);
    const image = new Float32Array(chunk.length * perSample);
    const label = new Uint8Array(chunk.length * perSample);
    const samples: SampleRecord[] = chunk.map((loc, s) => {
      const augmentation = { spatial: identitySpatialParams(dims), intensity: identityIntensityParams() };
      transformPatch(
        pool[loc.caseIndex],
        loc.centre,
        p,
        augmentation.spatial,
        { image, label, offset: s * perSample },
        options.padValue ?? 0,
      );
      return { caseId: pool[loc.caseIndex].id, ...loc, augmentation };
    });
    yield {
      iteration: index,
      image,
      imageShape: [chunk.length, 1, ...spatial],
      label,
      labelShape: [chunk.length, ...spatial],
      samples,
    };
  }
}
