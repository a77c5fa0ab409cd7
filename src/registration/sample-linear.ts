/**
 * Linear interpolation of a scalar array on a Grid3 at a continuous voxel position, the kernel every warp and
 * field composition shares. Positions are clamped to the grid (border padding); `insideBuffer` is ITK's test of
 * whether a position lies within the image (index −0.5 to n − 0.5 on each axis), used where ITK pads outside.
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

/**
 * Adds (or, with `add` false, writes) the linear interpolation of every array of `src` at (x, y, z) to `dst[c][p]`,
 * the weights computed once for all components (field composition's inner loop).
 */
export function sampleLinearAll(src: readonly Float32Array[], g: Grid3, x: number, y: number, z: number, dst: readonly Float32Array[], p: number, add: boolean): void {
  const { nx, ny, nz } = g;
  x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
  y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
  z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const dx = x0 + 1 < nx ? 1 : 0;
  const dy = y0 + 1 < ny ? nx : 0;
  const dz = z0 + 1 < nz ? nx * ny : 0;
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const q = (z0 * ny + y0) * nx + x0;
  for (let c = 0; c < src.length; c++) {
    const a = src[c];
    let v = w00 * a[q] + w10 * a[q + dx] + w01 * a[q + dy] + w11 * a[q + dx + dy];
    if (fz !== 0) {
      const r = q + dz;
      const upper = w00 * a[r] + w10 * a[r + dx] + w01 * a[r + dy] + w11 * a[r + dx + dy];
      v += fz * (upper - v);
    }
    dst[c][p] = add ? dst[c][p] + v : v;
  }
}

/** True when (x, y, z) lies within the image's extent (−0.5 ≤ index < n − 0.5 per axis), as ITK's IsInsideBuffer. */
export function insideBuffer(g: Grid3, x: number, y: number, z: number): boolean {
  return x >= -0.5 && x < g.nx - 0.5 && y >= -0.5 && y < g.ny - 0.5 && z >= -0.5 && z < g.nz - 0.5;
}
