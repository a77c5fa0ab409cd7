/**
 * Connected components of the non-zero voxels of a 2D or 3D mask, by breadth-first flood fill over a
 * preallocated queue (Int32Array): 6 (faces) or 26 (faces, edges, corners) neighbours in 3D, 4 or 8 in 2D,
 * as scipy.ndimage.label with generate_binary_structure(rank, 1) or (rank, rank). Components are numbered
 * 1, 2, … in the order of their first voxel in file order (i fastest), as scipy numbers them.
 * The rank is that of the grid with its singleton axes dropped (`squeeze-grid.ts`): a 64×64×1 mask is 2D, takes
 * 4 or 8, and is labelled as the plane it is.
 */
import { MultiraterError } from '../errors.ts';
import { spatialRank, squeezeGrid } from './squeeze-grid.ts';
import { createVolume, formatShape, type Volume } from './volume.ts';

/** Options of {@link connectedComponents}: which neighbours connect. */
export interface ConnectedComponentsOptions {
  /**
   * Neighbours that connect: 6 or 26 for 3D volumes, 4 or 8 for 2D (singleton axes dropped: 64×64×1 is 2D);
   * default 6 in 3D, 4 in 2D.
   */
  connectivity?: 4 | 6 | 8 | 26;
  /** Connect only neighbours holding the same non-zero value (the components of each label of a label map); default false. */
  byValue?: boolean;
}

/** The components {@link connectedComponents} found: a label map numbering them, and their sizes. */
export interface ConnectedComponents {
  /** Component number per voxel: 0 for background, else 1…count. */
  labels: Volume<Int32Array>;
  /** Number of components. */
  count: number;
  /** Voxel count of component c at index c − 1. */
  sizes: number[];
}

/** Labels the connected components of the non-zero voxels of `volume`. */
export function connectedComponents(volume: Volume, options: ConnectedComponentsOptions = {}): ConnectedComponents {
  const { shape, data } = volume;
  const offsets = neighbourOffsets(shape, options.connectivity);
  // The flood fill runs on the squeezed grid: the same voxel order, so indices need no mapping.
  const squeezed = squeezeGrid(shape, volume.spacing).shape;
  const [n0, n1, n2] = [squeezed[0], squeezed[1] ?? 1, squeezed[2] ?? 1];
  const plane = n0 * n1;
  const labels = new Int32Array(data.length);
  const queue = new Int32Array(data.length);
  const sizes: number[] = [];
  const [di, dj, dk] = offsets;
  const neighbours = di.length;
  const byValue = options.byValue ?? false;
  let label = 0;
  for (let seed = 0; seed < data.length; seed++) {
    if (data[seed] === 0 || labels[seed] !== 0) continue;
    label++;
    labels[seed] = label;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const p = queue[head++];
      const k = (p / plane) | 0;
      const rest = p - k * plane;
      const j = (rest / n0) | 0;
      const i = rest - j * n0;
      for (let q = 0; q < neighbours; q++) {
        const ii = i + di[q];
        const jj = j + dj[q];
        const kk = k + dk[q];
        if (ii < 0 || ii >= n0 || jj < 0 || jj >= n1 || kk < 0 || kk >= n2) continue;
        const r = ii + n0 * (jj + n1 * kk);
        if (data[r] !== 0 && labels[r] === 0 && (!byValue || data[r] === data[p])) {
          labels[r] = label;
          queue[tail++] = r;
        }
      }
    }
    sizes.push(tail);
  }
  return {
    labels: createVolume(shape, labels, { spacing: volume.spacing, affine: volume.affine }),
    count: label,
    sizes,
  };
}

/** A 0/1 mask of the largest connected component (the first one on ties); all zero when there is none. */
export function largestComponent(volume: Volume, options: ConnectedComponentsOptions = {}): Volume<Uint8Array> {
  const { labels, sizes } = connectedComponents(volume, options);
  let best = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[best]) best = c;
  const keep = sizes.length > 0 ? best + 1 : -1;
  const out = new Uint8Array(labels.data.length);
  const l = labels.data;
  for (let i = 0; i < l.length; i++) out[i] = l[i] === keep ? 1 : 0;
  return createVolume(volume.shape, out, { spacing: volume.spacing, affine: volume.affine });
}

/** Full connectivity for the grid of `shape` (26 in 3D, 8 in 2D, singleton axes dropped). */
export function fullConnectivity(shape: readonly number[]): 8 | 26 {
  return spatialRank(shape) === 3 ? 26 : 8;
}

/** Throws when `connectivity` does not fit the rank of `shape` with its singleton axes dropped. */
export function assertConnectivity(shape: readonly number[], connectivity: number): void {
  const rank = spatialRank(shape);
  if (rank > 3)
    throw new MultiraterError(
      'dimension_mismatch',
      `connected components need a 1–3D volume, got ${formatShape(shape)}`,
    );
  const allowed = rank === 3 ? [6, 26] : [4, 8];
  if (!allowed.includes(connectivity)) {
    const squeezed = rank < shape.length ? `, ${formatShape(shape)} with its singleton axes dropped` : '';
    throw new MultiraterError(
      'invalid_argument',
      `connectivity ${connectivity} is not ${allowed.join(' or ')} for a ${rank}D volume${squeezed}`,
    );
  }
}

/** Neighbour offsets (i, j, k) on the squeezed grid for the connectivity, checked against its rank. */
function neighbourOffsets(
  shape: readonly number[],
  connectivity: number | undefined,
): [Int32Array, Int32Array, Int32Array] {
  const three = spatialRank(shape) === 3;
  const c = connectivity ?? (three ? 6 : 4);
  assertConnectivity(shape, c);
  const full = c === 26 || c === 8;
  const di: number[] = [];
  const dj: number[] = [];
  const dk: number[] = [];
  const kRange = three ? [-1, 0, 1] : [0];
  for (const z of kRange) {
    for (const y of [-1, 0, 1]) {
      for (const x of [-1, 0, 1]) {
        const steps = Math.abs(x) + Math.abs(y) + Math.abs(z);
        if (steps === 0 || (!full && steps > 1)) continue;
        di.push(x);
        dj.push(y);
        dk.push(z);
      }
    }
  }
  return [Int32Array.from(di), Int32Array.from(dj), Int32Array.from(dk)];
}
