/**
 * Linear interpolation of a scalar array on a grid (i fastest, then j, then k) at continuous voxel positions: the
 * one kernel that warping, field composition, the demons' warp and the augmentations' resampling share.
 * - `sampleLinear`: one position, clamped to the grid (border padding), as a lerp along i, then j, then k.
 * - `sampleLinearPadded`: one position, corners outside the grid read as a pad value (the augmentations').
 * - `sampleRow`: a row of voxels displaced by a field (clamped, or zero where the position left the grid), one to
 *   three arrays sampled at once and written, optionally added to the field: the field compositions' s(x + e) + e
 *   and the demons' warp m(x + s). Its 'weights' form sums w·a over the corners (the compositions'), its 'lerp' form
 *   lerps along i then j (the demons' 2D warp); they round differently, so each caller keeps its own and its pinned
 *   numbers. One sweep per row, no intermediate buffer: the kernels are hot.
 */

/** A grid's size in voxels. */
export interface LinearGrid {
  /** Voxels along i (the fastest axis). */
  nx: number;
  /** Voxels along j. */
  ny: number;
  /** Voxels along k; 1 for a 2D grid. */
  nz: number;
}

/** A grid with its voxel sizes (mm) and number of spatial axes, for positions displaced by a field in mm. */
export interface DisplacedGrid extends LinearGrid {
  /** Spatial axes the field displaces: 2 (nz = 1, two field components) or 3. */
  dims: number;
  /** Voxel size along i, mm. */
  sx: number;
  /** Voxel size along j, mm. */
  sy: number;
  /** Voxel size along k, mm (unused in 2D). */
  sz: number;
}

/** data at continuous voxel position (x, y, z), trilinear (bilinear when nz = 1), clamped to the grid. */
export function sampleLinear(data: ArrayLike<number>, g: LinearGrid, x: number, y: number, z: number): number {
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

/** Trilinear at voxel position (x, y, z), not clamped: corners outside the grid count as `pad`. */
export function sampleLinearPadded(
  d: Float32Array,
  g: LinearGrid,
  x: number,
  y: number,
  z: number,
  pad: number,
): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  const plane0 = bilinearPlane(d, g, x0, y0, z0, fx, fy, pad);
  // A 2D slice and exact grid positions sit on one plane: the second plane has weight 0.
  if (fz === 0) return plane0;
  return plane0 * (1 - fz) + bilinearPlane(d, g, x0, y0, z0 + 1, fx, fy, pad) * fz;
}

function bilinearPlane(
  d: Float32Array,
  g: LinearGrid,
  x0: number,
  y0: number,
  z: number,
  fx: number,
  fy: number,
  pad: number,
): number {
  const { nx, ny, nz } = g;
  if (z < 0 || z >= nz) return pad;
  const base = z * nx * ny;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < nx && y0 + 1 < ny) {
    const a = base + y0 * nx + x0;
    const top = d[a] + (d[a + 1] - d[a]) * fx;
    const bottom = d[a + nx] + (d[a + nx + 1] - d[a + nx]) * fx;
    return top + (bottom - top) * fy;
  }
  const v00 = voxelOrPad(d, nx, ny, base, x0, y0, pad);
  const v10 = voxelOrPad(d, nx, ny, base, x0 + 1, y0, pad);
  const v01 = voxelOrPad(d, nx, ny, base, x0, y0 + 1, pad);
  const v11 = voxelOrPad(d, nx, ny, base, x0 + 1, y0 + 1, pad);
  const top = v00 + (v10 - v00) * fx;
  const bottom = v01 + (v11 - v01) * fx;
  return top + (bottom - top) * fy;
}

function voxelOrPad(d: Float32Array, nx: number, ny: number, base: number, x: number, y: number, pad: number): number {
  return x >= 0 && x < nx && y >= 0 && y < ny ? d[base + y * nx + x] : pad;
}

/** What `sampleRow` samples and where it writes; one object serves every row of a pass. */
export interface RowSampling {
  /** The arrays sampled: one, or as many as the field has components (2 in 2D, 3 in 3D). */
  sources: readonly Float32Array[];
  /** The displacement field (mm), read times `scale`. */
  field: readonly Float32Array[];
  /** Factor on the field's values, for the displacement and for the added field (1 = as stored). */
  scale: number;
  /** out[c][p] = scale·field[c][p] + gain·(source c sampled) with `addField`, else source c sampled. */
  out: readonly Float32Array[];
  /** Whether the (scaled) field is added to the sample: out = scale·field + gain·sample. */
  addField: boolean;
  /** Factor on the sample when `addField` is set; ignored otherwise. */
  gain: number;
  /** Where the position left the grid: out = scale·field (or 0) there, instead of the clamped sample. */
  zeroPad: boolean;
  /** When given, set to 1 where the position left the grid, else 0 (grid-sized). */
  outside: Uint8Array | null;
  /** 'weights' sums w·a over the cell's corners; 'lerp' (2D, one source) lerps along i, then along j. */
  form: 'weights' | 'lerp';
}

/**
 * Row (j, k) of grid g displaced by a field: voxel i reads position (i + scale·f0/sx, j + scale·f1/sy[, k +
 * scale·f2/sz]), clamped into the grid, linearly (trilinear in 3D: the lower plane's sum, then toward the upper
 * plane's by fz); "left the grid" is more than half a voxel outside along some axis (ITK's zero-padding test). The
 * field is read at p before out is written there, so `out` may be the field itself.
 */
export function sampleRow(r: RowSampling, g: DisplacedGrid, j: number, k: number): void {
  const src = r.sources;
  const f = r.field;
  const o = r.out;
  const many = src.length > 1;
  const s0 = src[0];
  if (g.dims === 2) {
    const s1 = many ? src[1] : s0;
    const lerp = r.form === 'lerp';
    sampleRow2d(
      s0,
      s1,
      many,
      f[0],
      f[1],
      r.scale,
      o[0],
      many ? o[1] : o[0],
      r.addField,
      r.gain,
      r.zeroPad,
      r.outside,
      lerp,
      g,
      j,
    );
    return;
  }
  const s1 = many ? src[1] : s0;
  const s2 = many ? src[2] : s0;
  const o1 = many ? o[1] : o[0];
  const o2 = many ? o[2] : o[0];
  sampleRow3d(
    s0,
    s1,
    s2,
    many,
    f[0],
    f[1],
    f[2],
    r.scale,
    o[0],
    o1,
    o2,
    r.addField,
    r.gain,
    r.zeroPad,
    r.outside,
    g,
    j,
    k,
  );
}

function sampleRow2d(
  s0: Float32Array,
  s1: Float32Array,
  many: boolean,
  f0: Float32Array,
  f1: Float32Array,
  scale: number,
  o0: Float32Array,
  o1: Float32Array,
  addField: boolean,
  gain: number,
  zeroPad: boolean,
  outside: Uint8Array | null,
  lerp: boolean,
  g: DisplacedGrid,
  j: number,
): void {
  const { nx, ny, sx, sy } = g;
  const xmax = nx - 1;
  const ymax = ny - 1;
  const xend = nx - 0.5;
  const yend = ny - 0.5;
  for (let i = 0, p = j * nx; i < nx; i++, p++) {
    const a0 = f0[p] * scale;
    const a1 = f1[p] * scale;
    let x = i + a0 / sx;
    let y = j + a1 / sy;
    const out = x < -0.5 || x >= xend || y < -0.5 || y >= yend;
    if (outside !== null) outside[p] = out ? 1 : 0;
    if (zeroPad && out) {
      o0[p] = addField ? a0 : 0;
      if (many) o1[p] = addField ? a1 : 0;
      continue;
    }
    x = x < 0 ? 0 : x > xmax ? xmax : x;
    y = y < 0 ? 0 : y > ymax ? ymax : y;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const dx = x0 < xmax ? 1 : 0;
    const dy = y0 < ymax ? nx : 0;
    const fx = x - x0;
    const fy = y - y0;
    const q = y0 * nx + x0;
    if (lerp) {
      const v = lerpCell(s0, q, dx, dy, fx, fy);
      o0[p] = addField ? a0 + gain * v : v;
      continue;
    }
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const v0 = bilinearCell(s0, q, dx, dy, w00, w10, w01, w11);
    o0[p] = addField ? a0 + gain * v0 : v0;
    if (!many) continue;
    const v1 = bilinearCell(s1, q, dx, dy, w00, w10, w01, w11);
    o1[p] = addField ? a1 + gain * v1 : v1;
  }
}

function sampleRow3d(
  s0: Float32Array,
  s1: Float32Array,
  s2: Float32Array,
  many: boolean,
  f0: Float32Array,
  f1: Float32Array,
  f2: Float32Array,
  scale: number,
  o0: Float32Array,
  o1: Float32Array,
  o2: Float32Array,
  addField: boolean,
  gain: number,
  zeroPad: boolean,
  outside: Uint8Array | null,
  g: DisplacedGrid,
  j: number,
  k: number,
): void {
  const { nx, ny, nz, sx, sy, sz } = g;
  const xmax = nx - 1;
  const ymax = ny - 1;
  const zmax = nz - 1;
  const nxy = nx * ny;
  for (let i = 0, p = (k * ny + j) * nx; i < nx; i++, p++) {
    const a0 = f0[p] * scale;
    const a1 = f1[p] * scale;
    const a2 = f2[p] * scale;
    let x = i + a0 / sx;
    let y = j + a1 / sy;
    let z = k + a2 / sz;
    const out = x < -0.5 || x >= nx - 0.5 || y < -0.5 || y >= ny - 0.5 || z < -0.5 || z >= nz - 0.5;
    if (outside !== null) outside[p] = out ? 1 : 0;
    if (zeroPad && out) {
      o0[p] = addField ? a0 : 0;
      if (many) {
        o1[p] = addField ? a1 : 0;
        o2[p] = addField ? a2 : 0;
      }
      continue;
    }
    x = x < 0 ? 0 : x > xmax ? xmax : x;
    y = y < 0 ? 0 : y > ymax ? ymax : y;
    z = z < 0 ? 0 : z > zmax ? zmax : z;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const z0 = Math.floor(z);
    const dx = x0 < xmax ? 1 : 0;
    const dy = y0 < ymax ? nx : 0;
    const dz = z0 < zmax ? nxy : 0;
    const fx = x - x0;
    const fy = y - y0;
    const fz = z - z0;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const q = (z0 * ny + y0) * nx + x0;
    const v0 = trilinearCell(s0, q, dx, dy, dz, w00, w10, w01, w11, fz);
    o0[p] = addField ? a0 + gain * v0 : v0;
    if (!many) continue;
    const v1 = trilinearCell(s1, q, dx, dy, dz, w00, w10, w01, w11, fz);
    const v2 = trilinearCell(s2, q, dx, dy, dz, w00, w10, w01, w11, fz);
    o1[p] = addField ? a1 + gain * v1 : v1;
    o2[p] = addField ? a2 + gain * v2 : v2;
  }
}

/** The cell at q (x step dx, y step dy) as a lerp along i by fx, then along j by fy. */
function lerpCell(a: Float32Array, q: number, dx: number, dy: number, fx: number, fy: number): number {
  const lo = a[q] + fx * (a[q + dx] - a[q]);
  const hi = a[q + dy] + fx * (a[q + dx + dy] - a[q + dy]);
  return lo + fy * (hi - lo);
}

/** Σ w·a over the four corners of the bilinear cell at q. */
function bilinearCell(
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
function trilinearCell(
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
