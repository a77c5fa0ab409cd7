/**
 * Resampling to a target voxel spacing, separable: one 1D pass per axis whose size changes, linear for images
 * (a sequence of 1D linear passes is exactly bilinear/trilinear) and nearest for label maps.
 * Convention (as nnU-Net's skimage `resize`): the volume's outer edges stay put, so output voxel o of an axis sits
 * at input index (o + ½)·n_in/n_out − ½; out-of-range positions take the edge voxel. The new shape is
 * round(n · spacing / target) (at least 1), so the output spacing is n·spacing/n_out, close to the target; the
 * affine is updated to match, so world positions of the grid are preserved.
 * Internal to the training pipeline until `volume/resample.ts` (volume-ops) exists; then this one should go.
 */
import { MultiraterError } from '../errors.ts';
import { allocate, createVolume, dtypeOf, type Affine, type Volume, type VoxelArray } from '../volume/volume.ts';

export interface ResampleToSpacingOptions {
  /** Target voxel size per axis in mm; `null` keeps that axis (e.g. `[1.25, 1.25, null]` for in-plane only). */
  spacing: readonly (number | null)[];
  /** `'linear'` for images (output float32), `'nearest'` for label maps (output keeps the dtype). */
  interpolation: 'linear' | 'nearest';
}

/** The shape a volume of `shape` and `spacing` takes at `target` spacing. */
export function resampledShape(shape: readonly number[], spacing: readonly number[], target: readonly (number | null)[]): number[] {
  return shape.map((n, a) => {
    const t = target[a];
    if (t === null || t === undefined) return n;
    if (!(t > 0)) throw new MultiraterError('invalid_argument', `target spacing ${t} mm on axis ${a} is not positive`);
    return Math.max(1, Math.round((n * spacing[a]) / t));
  });
}

/** Resamples `volume` to the target spacing (see the file comment for the grid convention). */
export function resampleToSpacing(volume: Volume, options: ResampleToSpacingOptions): Volume {
  if (volume.shape.length > 3) throw new MultiraterError('dimension_mismatch', `resampling takes 1–3D volumes, got ${volume.shape.length}D`);
  const outShape = resampledShape(volume.shape, volume.spacing, options.spacing);
  const linear = options.interpolation === 'linear';
  let data: VoxelArray = linear && !(volume.data instanceof Float32Array) ? Float32Array.from(volume.data) : volume.data;
  const shape = [...volume.shape];
  for (let a = 0; a < shape.length; a++) {
    if (outShape[a] === shape[a]) continue;
    data = resampleAxis(data, shape, a, outShape[a], linear);
    shape[a] = outShape[a];
  }
  if (data === volume.data) data = data.slice();
  const scale = volume.shape.map((n, a) => n / outShape[a]);
  return createVolume(outShape, data, {
    spacing: volume.spacing.map((s, a) => s * scale[a]),
    affine: scaledAffine(volume.affine, scale),
  });
}

/** The affine of a grid whose voxel o maps to input index (o + ½)·scale − ½ per axis. */
function scaledAffine(affine: Affine, scale: readonly number[]): Affine {
  return affine.map((row, r) => {
    if (r === 3) return [...row];
    const out = [...row];
    for (let c = 0; c < scale.length && c < 3; c++) {
      out[c] = row[c] * scale[c];
      out[3] += row[c] * (0.5 * scale[c] - 0.5);
    }
    return out;
  });
}

function resampleAxis(src: VoxelArray, shape: readonly number[], axis: number, nOut: number, linear: boolean): VoxelArray {
  const nIn = shape[axis];
  let inner = 1;
  for (let a = 0; a < axis; a++) inner *= shape[a];
  let outer = 1;
  for (let a = axis + 1; a < shape.length; a++) outer *= shape[a];
  const i0 = new Int32Array(nOut);
  const i1 = new Int32Array(nOut);
  const w = new Float64Array(nOut);
  const ratio = nIn / nOut;
  for (let o = 0; o < nOut; o++) {
    const x = Math.min(Math.max((o + 0.5) * ratio - 0.5, 0), nIn - 1);
    if (linear) {
      i0[o] = Math.floor(x);
      i1[o] = Math.min(i0[o] + 1, nIn - 1);
      w[o] = x - i0[o];
    } else {
      i0[o] = Math.round(x);
    }
  }
  const dst = linear ? new Float32Array(outer * nOut * inner) : allocate(dtypeOf(src), outer * nOut * inner);
  for (let q = 0; q < outer; q++) {
    const srcBase = q * nIn * inner;
    const dstBase = q * nOut * inner;
    for (let o = 0; o < nOut; o++) {
      const a = srcBase + i0[o] * inner;
      const d = dstBase + o * inner;
      if (linear) {
        const b = srcBase + i1[o] * inner;
        const t = w[o];
        for (let r = 0; r < inner; r++) dst[d + r] = src[a + r] * (1 - t) + src[b + r] * t;
      } else {
        for (let r = 0; r < inner; r++) dst[d + r] = src[a + r];
      }
    }
  }
  return dst;
}
