/**
 * Where a training sample comes from (nnU-Net's `get_bbox`): a case drawn uniformly, then either a patch centred
 * on a voxel of a uniformly drawn present label (foreground oversampling), or a uniformly placed patch — for 2D, a
 * uniformly drawn slice, where a slice without any label is redrawn with probability `emptySliceSkipProbability`.
 * A uniformly placed patch has each corner coordinate uniform over the positions where it lies inside the volume
 * padded by `volumePadding` voxels on both sides (NiftyNet's uniform sampler with `volume_padding_size`); a patch
 * larger than the padded volume is centred and padded.
 * Centres are start + (p − 1)/2 with an integer start, so unaugmented patches fall exactly on voxels.
 */
import type { Rng } from '../random/index.ts';
import type { PoolCase } from './sampling-pool.ts';

/** The recorded choice of one sample's origin. */
export interface SampleLocation {
  /** Index of the case in the pool. */
  caseIndex: number;
  /** Patch centre in source voxel indices (i, j, k); for 2D samples k is the slice. */
  centre: [number, number, number];
  /** True when the patch was centred on a labelled voxel. */
  foreground: boolean;
}

/** Options of `drawSampleLocation`: patch size and how the centre is drawn. */
export interface SampleLocationOptions {
  /** Patch size in voxels: [px, py] (2D slice) or [px, py, pz]. */
  patchSize: readonly number[];
  /** Centre the patch on a labelled voxel (falls back to a uniform draw when the case has no label). */
  forceForeground: boolean;
  /** 2D only: probability, 0–1, that a drawn slice without any label is rejected and redrawn. */
  emptySliceSkipProbability: number;
  /** Voxels added on both sides of each patch axis for uniform placement (outside reads the pad value); default 0. */
  volumePadding?: readonly number[];
}

/** Redraws stop after this many rejected empty slices, so a stack of empty slices cannot loop forever. */
const MAX_SLICE_DRAWS = 1000;

/** Draws one sample's case and patch centre. */
export function drawSampleLocation(
  pool: readonly PoolCase[],
  rng: Rng,
  options: SampleLocationOptions,
): SampleLocation {
  const caseIndex = rng.int(pool.length);
  const c = pool[caseIndex];
  const p = options.patchSize;
  const dims = p.length;
  if (options.forceForeground && c.labels.length > 0) {
    const locations = c.locations[rng.int(c.labels.length)];
    const v = locations[rng.int(locations.length)];
    const voxel = [v % c.shape[0], Math.floor(v / c.shape[0]) % c.shape[1], Math.floor(v / (c.shape[0] * c.shape[1]))];
    const centre = voxel.map((x, a) => (a < dims ? x - Math.floor(p[a] / 2) + (p[a] - 1) / 2 : x));
    return { caseIndex, centre: centre as [number, number, number], foreground: true };
  }
  const centre: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < dims; a++)
    centre[a] = uniformStart(rng, c.shape[a], p[a], options.volumePadding?.[a] ?? 0) + (p[a] - 1) / 2;
  if (dims === 2) centre[2] = drawSlice(c, rng, options.emptySliceSkipProbability);
  return { caseIndex, centre, foreground: false };
}

/** A window start uniform over [−q, n + q − p] (the window inside the axis padded by q), else centred. */
export function uniformStart(rng: Rng, n: number, p: number, q = 0): number {
  return p <= n + 2 * q ? rng.int(n + 2 * q - p + 1) - q : Math.floor((n - p) / 2);
}

function drawSlice(c: PoolCase, rng: Rng, skipProbability: number): number {
  const nz = c.shape[2];
  let k = rng.int(nz);
  if (c.labels.length === 0 || skipProbability <= 0) return k;
  for (
    let attempt = 1;
    attempt < MAX_SLICE_DRAWS && !c.sliceForeground[k] && rng.uniform() < skipProbability;
    attempt++
  ) {
    k = rng.int(nz);
  }
  return k;
}
