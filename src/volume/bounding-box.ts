/**
 * Bounding box of the non-zero voxels of a volume, as half-open voxel index ranges per axis (Python's slices:
 * `start` inclusive, `end` exclusive), the form `crop` takes.
 */
import { MultiraterError } from '../errors.ts';
import type { Volume } from './volume.ts';

/** A box of voxel indices: axis a spans `start[a]` (inclusive) to `end[a]` (exclusive); may reach outside a grid. */
export interface Box {
  /** First voxel index per axis (inclusive). */
  start: number[];
  /** One past the last voxel index per axis (exclusive). */
  end: number[];
}

/** Options of {@link boundingBox}. */
export interface BoundingBoxOptions {
  /** Voxels added on each side of every axis (voxels, ≥ 0), clamped to the grid; default 0. */
  margin?: number | number[];
}

/** The smallest box holding every non-zero voxel of `volume` (all axes), or null when there is none. */
export function boundingBox(volume: Pick<Volume, 'data' | 'shape'>, options: BoundingBoxOptions = {}): Box | null {
  const { data, shape } = volume;
  const dims = shape.length;
  const n0 = shape[0];
  const rows = data.length / n0;
  const lo = [Infinity, Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1, -1];
  const n1 = shape[1] ?? 1;
  const n2 = shape[2] ?? 1;
  for (let r = 0; r < rows; r++) {
    const base = r * n0;
    let first = -1;
    for (let i = 0; i < n0; i++) {
      if (data[base + i] !== 0) {
        first = i;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let i = n0 - 1; i > first; i--) {
      if (data[base + i] !== 0) {
        last = i;
        break;
      }
    }
    if (first < lo[0]) lo[0] = first;
    if (last > hi[0]) hi[0] = last;
    const j = r % n1;
    const k = Math.floor(r / n1) % n2;
    const t = Math.floor(r / (n1 * n2));
    if (j < lo[1]) lo[1] = j;
    if (j > hi[1]) hi[1] = j;
    if (k < lo[2]) lo[2] = k;
    if (k > hi[2]) hi[2] = k;
    if (t < lo[3]) lo[3] = t;
    if (t > hi[3]) hi[3] = t;
  }
  if (hi[0] < 0) return null;
  const margin = marginPerAxis(options.margin, dims);
  const start: number[] = [];
  const end: number[] = [];
  for (let a = 0; a < dims; a++) {
    start.push(Math.max(0, lo[a] - margin[a]));
    end.push(Math.min(shape[a], hi[a] + 1 + margin[a]));
  }
  return { start, end };
}

function marginPerAxis(margin: number | number[] | undefined, dims: number): number[] {
  const m = Array.isArray(margin) ? margin : Array.from({ length: dims }, () => margin ?? 0);
  if (m.length !== dims || m.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `bounding box margin ${JSON.stringify(margin)} is not ${dims} whole numbers ≥ 0`,
    );
  }
  return m;
}
