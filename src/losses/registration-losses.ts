/**
 * The losses of learned registration, as VoxelMorph defines them (Balakrishnan et al. 2019, IEEE TMI 38(8)):
 * local normalised cross-correlation over a cubic window (window sums by a convolution with ones, zero padding),
 * the l2 smoothness of a displacement field by forward differences, and the soft Dice of two probability maps.
 */
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';

/**
 * −mean(cross² / (varI·varJ + 1e-5)) over every voxel, with window sums S over `window`^D voxels:
 * cross = S(IJ) − uJ·S(I) − uI·S(J) + uI·uJ·n, var_I = S(I²) − 2uI·S(I) + uI²·n, u = S(·)/n (VoxelMorph NCC).
 * `a`, `b` [N, 1, spatial…]; −1 for identical images.
 */
export function nccLoss(a: Value, b: Value, window = 9): Value {
  const g = a.graph;
  const d = a.rank - 2;
  const size = window ** d;
  const kernel = g.constant(
    { dtype: 'float32', shape: [1, 1, ...Array(d).fill(window)], data: new Float32Array(size).fill(1) },
    'ncc_window',
  );
  const half = Math.floor(window / 2);
  const sum = (x: Value): Value => F.conv(x, kernel, null, { pads: Array(2 * d).fill(half) });
  const n = g.scalar(size);
  const sI = sum(a);
  const sJ = sum(b);
  const sI2 = sum(F.mul(a, a));
  const sJ2 = sum(F.mul(b, b));
  const sIJ = sum(F.mul(a, b));
  const uI = F.div(sI, n);
  const uJ = F.div(sJ, n);
  const cross = F.add(F.sub(F.sub(sIJ, F.mul(uJ, sI)), F.mul(uI, sJ)), F.mul(F.mul(uI, uJ), n));
  const varI = F.add(F.sub(sI2, F.mul(F.mul(uI, sI), g.scalar(2))), F.mul(F.mul(uI, uI), n));
  const varJ = F.add(F.sub(sJ2, F.mul(F.mul(uJ, sJ), g.scalar(2))), F.mul(F.mul(uJ, uJ), n));
  const cc = F.div(F.mul(cross, cross), F.add(F.mul(varI, varJ), g.scalar(1e-5)));
  return F.neg(
    F.reduceMean(
      cc,
      cc.shape.map((_, i) => i),
      false,
    ),
  );
}

/** Mean over spatial axes of mean(Δ_axis flow²) by forward differences (VoxelMorph Grad 'l2'); `flow` [N, D, spatial…]. */
export function gradL2Loss(flow: Value): Value {
  const d = flow.rank - 2;
  const dims = flow.staticShape.slice(2);
  let total: Value | null = null;
  for (let a = 0; a < d; a++) {
    const axis = a + 2;
    const diff = F.sub(F.slice(flow, [1], [dims[a]], [axis]), F.slice(flow, [0], [dims[a] - 1], [axis]));
    const m = F.reduceMean(
      F.mul(diff, diff),
      diff.shape.map((_, i) => i),
      false,
    );
    total = total === null ? m : F.add(total, m);
  }
  return F.div(total as Value, flow.graph.scalar(d));
}

/** −mean over batch and channels of 2·Σ(p·q) / Σ(p + q) (VoxelMorph Dice on one-hot label maps [N, C, spatial…]). */
export function softDiceOverlapLoss(p: Value, q: Value): Value {
  const axes = p.shape.map((_, i) => i).slice(2);
  const top = F.mul(F.reduceSum(F.mul(p, q), axes, false), p.graph.scalar(2));
  const bottom = F.add(F.reduceSum(F.add(p, q), axes, false), p.graph.scalar(1e-5));
  return F.neg(F.reduceMean(F.div(top, bottom), [0, 1], false));
}
