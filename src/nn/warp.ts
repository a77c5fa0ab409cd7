/**
 * Dense warping of 2-D images by a displacement field (the spatial transformer of learned registration,
 * Jaderberg et al. 2015; VoxelMorph, Balakrishnan et al. 2019), composed from elementary operators so autodiff
 * gives gradients for both the image and the field. Bilinear interpolation; sample positions are clamped to the
 * image (border padding).
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

/**
 * out[n, c, i, j] = image[n, c, i + flow[n, 0, i, j], j + flow[n, 1, i, j]], bilinear; `image` [N, C, H, W],
 * `flow` [N, 2, H, W] in pixels (channel 0 along rows, 1 along columns).
 */
export function warp2d(image: Value, flow: Value): Value {
  const g = image.graph;
  const [n, c, h, w] = image.staticShape;
  const grid = (values: (i: number, j: number) => number) =>
    g.constant({ dtype: 'float32', shape: [1, 1, h, w], data: Float32Array.from({ length: h * w }, (_, k) => values(Math.floor(k / w), k % w)) }, 'warp_grid');
  const [dyRow, dxCol] = F.split(flow, 1, [1, 1]);
  const y = F.clip(F.add(grid((i) => i), dyRow), 0, h - 1);
  const x = F.clip(F.add(grid((_, j) => j), dxCol), 0, w - 1);
  const y0 = F.floor(y);
  const x0 = F.floor(x);
  const y1 = F.min(F.add(y0, g.scalar(1)), g.scalar(h - 1));
  const x1 = F.min(F.add(x0, g.scalar(1)), g.scalar(w - 1));
  const wy = F.sub(y, y0);
  const wx = F.sub(x, x0);
  const flat = F.reshape(image, [n, c, h * w]);
  const at = (yy: Value, xx: Value): Value => {
    const idx = F.cast(F.add(F.mul(yy, g.scalar(w)), xx), 'int64');
    const expanded = F.expand(F.reshape(idx, [n, 1, h * w]), [n, c, h * w]);
    return F.reshape(F.gatherElements(flat, expanded, 2), [n, c, h, w]);
  };
  const one = g.scalar(1);
  const top = F.add(F.mul(at(y0, x0), F.sub(one, wx)), F.mul(at(y0, x1), wx));
  const bottom = F.add(F.mul(at(y1, x0), F.sub(one, wx)), F.mul(at(y1, x1), wx));
  return F.add(F.mul(top, F.sub(one, wy)), F.mul(bottom, wy));
}
