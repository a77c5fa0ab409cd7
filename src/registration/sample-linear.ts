/**
 * Linear interpolation of a scalar array on a Grid3 at a continuous voxel position, the kernel every warp and
 * field composition shares. Positions are clamped to the grid (border padding). `bilinearCell` and `trilinearCell`
 * are the sums the hot loops (compose-fields, demons-force) call once the cell and its weights are known.
 */
import type { Grid3 } from './displacement-field.ts';

/** data at continuous voxel position (x, y, z), trilinear (bilinear when nz = 1), clamped to the grid. */
export function sampleLinear(data: ArrayLike<number>, g: Grid3, x: number, y: number, z: number): number {
  const { nx, ny, nz } = g;
  x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
  y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
  z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const x1 = x0 + 1 < nx ? x0 + 1 : x0;
  const y1 = y0 + 1 < ny ? y0 + 1 : y0;
  const z1 = z0 + 1 < nz ? z0 + 1 : z0;
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  const r00 = (z0 * ny + y0) * nx;
  const r01 = (z0 * ny + y1) * nx;
  const a = data[r00 + x0] + fx * (data[r00 + x1] - data[r00 + x0]);
  const b = data[r01 + x0] + fx * (data[r01 + x1] - data[r01 + x0]);
  const lower = a + fy * (b - a);
  if (fz === 0) return lower;
  const r10 = (z1 * ny + y0) * nx;
  const r11 = (z1 * ny + y1) * nx;
  const c = data[r10 + x0] + fx * (data[r10 + x1] - data[r10 + x0]);
  const d = data[r11 + x0] + fx * (data[r11 + x1] - data[r11 + x0]);
  const upper = c + fy * (d - c);
  return lower + fz * (upper - lower);
}

/** Σ w·a over the four corners of the bilinear cell at q (x step dx, y step dy): the composition kernels' bilinear. */
export function bilinearCell(
  a: Float32Array,
  q: number,
  dx: number,
  dy: number,
  w00: number,
  w10: number,
  w01: number,
  w11: number,
): number {
  return w00 * a[q] + w10 * a[q + dx] + w01 * a[q + dy] + w11 * a[q + dx + dy];
}

/** Trilinear over the cell at q (z step dz): the lower plane's bilinear, then toward the upper plane's by fz. */
export function trilinearCell(
  a: Float32Array,
  q: number,
  dx: number,
  dy: number,
  dz: number,
  w00: number,
  w10: number,
  w01: number,
  w11: number,
  fz: number,
): number {
  const v = w00 * a[q] + w10 * a[q + dx] + w01 * a[q + dy] + w11 * a[q + dx + dy];
  if (fz === 0) return v;
  const r = q + dz;
  return v + fz * (w00 * a[r] + w10 * a[r + dx] + w01 * a[r + dy] + w11 * a[r + dx + dy] - v);
}
