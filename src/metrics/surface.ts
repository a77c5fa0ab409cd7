/**
 * Surface of a binary mask as pinned in SPEC-metrics.md: the voxels of M with at least one face-neighbour
 * (2·ndim of them: 4 in 2D, 6 in 3D) outside M, the grid border counting as outside.
 */

/**
 * Marks in `out` (0/1) the surface voxels of the 0/1 `mask` on a grid of `ndim` ≤ 3 axes with extents
 * `dims` (unused axes have extent 1). Returns `out`.
 */
export function surfaceMask(
  mask: Uint8Array,
  dims: readonly [number, number, number],
  ndim: number,
  out: Uint8Array = new Uint8Array(mask.length),
): Uint8Array {
  const [nx, ny, nz] = dims;
  const sy = nx;
  const sz = nx * ny;
  const useY = ndim >= 2;
  const useZ = ndim >= 3;
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    const zEdge = useZ && (z === 0 || z === nz - 1);
    for (let y = 0; y < ny; y++) {
      const yEdge = useY && (y === 0 || y === ny - 1);
      for (let x = 0; x < nx; x++, idx++) {
        if (mask[idx] === 0) {
          out[idx] = 0;
          continue;
        }
        const onSurface =
          zEdge ||
          yEdge ||
          x === 0 ||
          x === nx - 1 ||
          mask[idx - 1] === 0 ||
          mask[idx + 1] === 0 ||
          (useY && (mask[idx - sy] === 0 || mask[idx + sy] === 0)) ||
          (useZ && (mask[idx - sz] === 0 || mask[idx + sz] === 0));
        out[idx] = onSurface ? 1 : 0;
      }
    }
  }
  return out;
}
