/**
 * Dense warping of 2-D and 3-D images by a displacement field (the spatial transformer of learned registration,
 * Jaderberg et al. 2015; VoxelMorph, Balakrishnan et al. 2019), composed from elementary operators so autodiff
 * gives gradients for both the image and the field; and the integration of a stationary velocity field by scaling
 * and squaring (Arsigny et al. 2006; VoxelMorph's VecInt). (Bi/tri)linear interpolation; sample positions are
 * clamped to the image (border padding, PyTorch grid_sample `padding_mode='border', align_corners=True`).
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

/**
 * out[n, c, p] = image[n, c, p + flow[n, :, p]] with multilinear interpolation; `image` [N, C, spatial…],
 * `flow` [N, D, spatial…] in voxels, channel d along spatial axis d (D = 2 or 3).
 */
function warpNd(image: Value, flow: Value): Value {
  const g = image.graph;
  // The batch may be symbolic (inference models): reshapes copy it (0) and the gather indices are broadcast to it.
  const c = image.shape[1] as number;
  const dims = image.shape.slice(2) as number[];
  const d = dims.length;
  const total = dims.reduce((a, b) => a * b, 1);
  const strides = dims.map((_, a) => dims.slice(a + 1).reduce((x, y) => x * y, 1));
  const coordinate = (axis: number): Value => {
    const data = new Float32Array(total);
    for (let p = 0; p < total; p++) data[p] = Math.floor(p / strides[axis]) % dims[axis];
    return g.constant({ dtype: 'float32', shape: [1, 1, ...dims], data }, 'warp_grid');
  };
  const parts = F.split(flow, 1, Array(d).fill(1));
  const one = g.scalar(1);
  const lo: Value[] = [];
  const hi: Value[] = [];
  const frac: Value[] = [];
  for (let a = 0; a < d; a++) {
    const x = F.clip(F.add(coordinate(a), parts[a]), 0, dims[a] - 1);
    const x0 = F.floor(x);
    lo.push(x0);
    hi.push(F.min(F.add(x0, one), g.scalar(dims[a] - 1)));
    frac.push(F.sub(x, x0));
  }
  const flat = F.reshape(image, [0, c, total]);
  const at = (corner: readonly Value[]): Value => {
    let idx = F.mul(corner[0], g.scalar(strides[0]));
    for (let a = 1; a < d; a++) idx = F.add(idx, strides[a] === 1 ? corner[a] : F.mul(corner[a], g.scalar(strides[a])));
    const expanded = F.expandLike(F.reshape(F.cast(idx, 'int64'), [0, 1, total]), flat);
    return F.reshape(F.gatherElements(flat, expanded, 2), [0, c, ...dims]);
  };
  // Interpolate along the last axis first, then fold the corners axis by axis.
  const blend = (axis: number, chosen: Value[]): Value => {
    if (axis === d) return at(chosen);
    const a = blend(axis + 1, [...chosen, lo[axis]]);
    const b = blend(axis + 1, [...chosen, hi[axis]]);
    return F.add(F.mul(a, F.sub(one, frac[axis])), F.mul(b, frac[axis]));
  };
  return blend(0, []);
}

/**
 * out[n, c, i, j] = image[n, c, i + flow[n, 0, i, j], j + flow[n, 1, i, j]], bilinear; `image` [N, C, H, W],
 * `flow` [N, 2, H, W] in pixels (channel 0 along rows, 1 along columns).
 */
export function warp2d(image: Value, flow: Value): Value {
  return warpNd(image, flow);
}

/** As `warp2d` for volumes, trilinear: `image` [N, C, D, H, W], `flow` [N, 3, D, H, W] in voxels along axes 2, 3, 4. */
export function warp3d(image: Value, flow: Value): Value {
  return warpNd(image, flow);
}

/**
 * The displacement exp(v) of a stationary velocity field `v` [N, D, spatial…] (voxels): φ = v / 2^steps, then
 * `steps` times φ ← φ + warp(φ, φ) (VoxelMorph VecInt; 7 steps by default).
 */
export function scalingAndSquaring(v: Value, steps = 7): Value {
  let phi = F.mul(v, v.graph.scalar(1 / 2 ** steps));
  for (let s = 0; s < steps; s++) phi = F.add(phi, warpNd(phi, phi));
  return phi;
}
