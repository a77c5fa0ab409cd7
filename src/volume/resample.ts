/**
 * Resampling of the spatial axes (the first three; a 4D volume's frames are resampled alike) to a new voxel
 * spacing or grid size: nearest neighbour for label maps, linear for images.
 *
 * Grid convention (scipy.ndimage.zoom with grid_mode=True, PyTorch's align_corners=False): the new grid's
 * extent is centred on the old one, so output voxel p sits at input index x = c + p·r, with r the ratio of new
 * to old voxel size and c = (n−1)/2 − (n′−1)/2·r. The affine becomes A·[diag(r) | c], so the world position of
 * every output voxel centre is where it was sampled from. Samples beyond the edge take the edge value (scipy's
 * mode='nearest'); nearest-neighbour ties (x exactly halfway) go to the higher index.
 */
import { MultiraterError } from '../errors.ts';
import {
  allocate,
  createVolume,
  formatShape,
  voxelCount,
  type Affine,
  type Volume,
  type VoxelArray,
} from './volume.ts';

/** How {@link resample} reads between voxels: nearest neighbour (label maps) or trilinear. */
export type Interpolation = 'nearest' | 'linear';

/** Options of {@link resample}: the target grid (spacing or shape) and the interpolation. */
export interface ResampleOptions {
  /** Target voxel size per spatial axis, in mm (2 entries for 2D, else 3). Give this or `shape`. */
  spacing?: number[];
  /** Target voxel count per spatial axis. Give this or `spacing`. */
  shape?: number[];
  /** 'nearest' keeps the dtype (label maps); 'linear' gives float32 for integer and float32 input, else float64. */
  interpolation: Interpolation;
}

interface AxisMap {
  /** Output length. */
  size: number;
  /** Input index of output voxel 0, and step per output voxel (input voxels). */
  c: number;
  r: number;
}

/** `volume` resampled to a new spacing or grid size; see the file comment for the grid convention. */
export function resample(volume: Volume, options: ResampleOptions): Volume {
  const { shape } = volume;
  const spatial = Math.min(3, shape.length);
  const maps = axisMaps(volume, options, spatial);
  const outShape = shape.map((n, a) => (a < spatial ? maps[a].size : n));
  const data =
    options.interpolation === 'nearest'
      ? resampleNearest(volume, maps, outShape)
      : resampleLinear(volume, maps, outShape);
  const spacing = volume.spacing.map((s, a) => (a < spatial ? s * maps[a].r : s));
  return createVolume(outShape, data, { spacing, affine: scaledAffine(volume.affine, maps) });
}

function axisMaps(volume: Volume, options: ResampleOptions, spatial: number): AxisMap[] {
  const { shape } = volume;
  if ((options.spacing === undefined) === (options.shape === undefined)) {
    throw new MultiraterError('invalid_argument', 'resample needs exactly one of spacing and shape');
  }
  if (options.interpolation !== 'nearest' && options.interpolation !== 'linear') {
    throw new MultiraterError(
      'invalid_argument',
      `interpolation ${String(options.interpolation)} is not nearest or linear`,
    );
  }
  const target = (options.spacing ?? options.shape) as number[];
  if (target.length !== spatial || target.some((v) => !Number.isFinite(v) || v <= 0)) {
    const what = options.spacing ? 'spacing' : 'shape';
    throw new MultiraterError(
      'invalid_argument',
      `resample ${what} [${target}] needs ${spatial} positive values for a ${formatShape(shape)} volume`,
    );
  }
  const maps: AxisMap[] = [];
  for (let a = 0; a < spatial; a++) {
    const n = shape[a];
    let size: number;
    let r: number;
    if (options.spacing) {
      r = options.spacing[a] / volume.spacing[a];
      size = Math.max(1, Math.round(n / r));
    } else {
      size = options.shape![a];
      if (!Number.isInteger(size))
        throw new MultiraterError('invalid_argument', `resample shape [${target}] is not whole numbers`);
      r = n / size;
    }
    maps.push({ size, r, c: (n - 1) / 2 - ((size - 1) / 2) * r });
  }
  return maps;
}

function scaledAffine(affine: Affine, maps: AxisMap[]): Affine {
  const r = [maps[0]?.r ?? 1, maps[1]?.r ?? 1, maps[2]?.r ?? 1];
  const c = [maps[0]?.c ?? 0, maps[1]?.c ?? 0, maps[2]?.c ?? 0];
  return affine.map((row, i) =>
    i < 3
      ? [row[0] * r[0], row[1] * r[1], row[2] * r[2], row[0] * c[0] + row[1] * c[1] + row[2] * c[2] + row[3]]
      : [...row],
  );
}

function resampleNearest(volume: Volume, maps: AxisMap[], outShape: number[]): VoxelArray {
  const { shape, data } = volume;
  const index = [0, 1, 2].map((a) => {
    const n = shape[a] ?? 1;
    const m = maps[a];
    const table = new Int32Array(m ? m.size : n);
    for (let p = 0; p < table.length; p++) {
      // The tiny bias makes exact halves (downsampling by 2) go up, whatever the rounding of c + p·r.
      const x = m ? Math.floor(m.c + p * m.r + 0.5 + 1e-9) : p;
      table[p] = x < 0 ? 0 : x >= n ? n - 1 : x;
    }
    return table;
  });
  const [n0, n1, n2] = [shape[0], shape[1] ?? 1, shape[2] ?? 1];
  const [m0, m1, m2, m3] = [outShape[0], outShape[1] ?? 1, outShape[2] ?? 1, outShape[3] ?? 1];
  const [ti, tj, tk] = index;
  const out = allocate(volume.dtype, voxelCount(outShape));
  let o = 0;
  for (let t = 0; t < m3; t++) {
    for (let k = 0; k < m2; k++) {
      const srcK = (t * n2 + tk[k]) * n1;
      for (let j = 0; j < m1; j++) {
        const base = (srcK + tj[j]) * n0;
        for (let i = 0; i < m0; i++) out[o++] = data[base + ti[i]];
      }
    }
  }
  return out;
}

/** Separable linear interpolation: one pass per axis whose grid changes, in float64. */
function resampleLinear(volume: Volume, maps: AxisMap[], outShape: number[]): VoxelArray {
  let cur: ArrayLike<number> = volume.data;
  const curShape = [...volume.shape];
  for (let a = 0; a < maps.length; a++) {
    const m = maps[a];
    if (m.size === curShape[a] && m.r === 1 && m.c === 0) continue;
    cur = linearPass(cur, curShape, a, m);
    curShape[a] = m.size;
  }
  const dtype = volume.dtype === 'float64' ? 'float64' : 'float32';
  const out = allocate(dtype, voxelCount(outShape));
  out.set(cur);
  return out;
}

function linearPass(src: ArrayLike<number>, shape: number[], axis: number, m: AxisMap): Float64Array {
  const n = shape[axis];
  let stride = 1;
  for (let a = 0; a < axis; a++) stride *= shape[a];
  const outer = voxelCount(shape) / (n * stride);
  const lo = new Int32Array(m.size);
  const hi = new Int32Array(m.size);
  const w = new Float64Array(m.size);
  for (let p = 0; p < m.size; p++) {
    const x = m.c + p * m.r;
    if (x <= 0) {
      lo[p] = hi[p] = 0;
    } else if (x >= n - 1) {
      lo[p] = hi[p] = n - 1;
    } else {
      const f = Math.floor(x);
      lo[p] = f;
      hi[p] = f + 1;
      w[p] = x - f;
    }
  }
  const dst = new Float64Array(outer * m.size * stride);
  for (let o = 0; o < outer; o++) {
    const srcBase = o * n * stride;
    for (let p = 0; p < m.size; p++) {
      const a = srcBase + lo[p] * stride;
      const b = srcBase + hi[p] * stride;
      const wb = w[p];
      const wa = 1 - wb;
      let d = (o * m.size + p) * stride;
      for (let q = 0; q < stride; q++) dst[d++] = src[a + q] * wa + src[b + q] * wb;
    }
  }
  return dst;
}
