/**
 * Exact nearest-surface-voxel queries by rows of the grid: the surface voxels of one mask, grouped by row (j, k) and
 * sorted by i within each row (the order surface-points.ts emits them in), so a row's nearest voxel to a query is a
 * binary search away, and the nearest voxel overall is the best over the rows (j, k) with
 * ((j − qj)·sⱼ)² + ((k − qk)·sₖ)² below the best distance so far, nearest rows first. Queries come in voxel order,
 * so the previous answer's voxel starts as the best: its distance is within a voxel or two of the answer, and the
 * rows searched are those of a disc of about that radius (for two contours of one structure, a few dozen rows).
 *
 * That disc grows with the square of the distance, so the rows searched stop at the radius whose disc holds
 * {@link FAR_ROWS} rows: a query with no voxel that near (a stray blob far from the other mask) goes to a k-d tree of
 * the same voxels (kd-tree.ts, built on first need), which costs a logarithm of the surface whatever the distance.
 * Either way the distance is exact. For a 256×256×128 `eval`, the tree alone spent 20–30 ms per direction warm;
 * the rows, 8–10 ms, and the tree is never built.
 */
import { KdTree } from './kd-tree.ts';
import type { SurfacePoints } from './surface-points.ts';

/** Rows a query may search before the k-d tree answers it instead. */
export const FAR_ROWS = 256;

/** Relative slack of the row pruning (see `byRows`). */
const SLACK = 1 + 1e-12;

/** The surface voxels of one mask by rows, for nearest-voxel queries in mm. */
export class SurfaceRows {
  /** Start of row r = j + cy·k in `xs`; row r ends where row r + 1 starts. */
  private readonly rowStart: Int32Array;
  /** i of each voxel, row by row, ascending within a row. */
  private readonly xs: Int32Array;
  private readonly cy: number;
  private readonly cz: number;
  // Voxel size, mm (fields, not destructured from an array per query: that allocates until the code is optimised).
  private readonly sx: number;
  private readonly sy: number;
  private readonly sz: number;
  /** Squared radius (mm²) of the rows' reach: its disc of rows (j, k) holds about FAR_ROWS rows. */
  private readonly farSquared: number;
  private tree: KdTree | null = null;
  // The previous answer's voxel, the next query's starting bound (none before the first answer).
  private have = false;
  private li = 0;
  private lj = 0;
  private lk = 0;

  /**
   * Indexes `surface` (box-relative voxels in voxel order) on a box of `cy` rows by `cz` slices with voxel size
   * `spacing` (mm per axis, three).
   */
  constructor(
    private readonly surface: SurfacePoints,
    cy: number,
    cz: number,
    spacing: readonly [number, number, number],
  ) {
    this.cy = cy;
    this.cz = cz;
    [this.sx, this.sy, this.sz] = spacing;
    const rows = cy * cz;
    const rowStart = new Int32Array(rows + 1);
    const xs = new Int32Array(surface.count);
    const ijk = surface.ijk;
    for (let p = 0; p < surface.count; p++) {
      rowStart[ijk[3 * p + 1] + cy * ijk[3 * p + 2] + 1]++;
      xs[p] = ijk[3 * p];
    }
    for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
    this.rowStart = rowStart;
    this.xs = xs;
    this.farSquared = (FAR_ROWS * this.sy * this.sz) / Math.PI;
  }

  /** Squared distance (mm²) from box voxel (i, j, k) to the nearest voxel of the surface; Infinity when it has none. */
  nearestSquared(i: number, j: number, k: number): number {
    if (this.surface.count === 0) return Infinity;
    // Centres in mm as surface-points.ts computes them, and squared distances as the k-d tree sums them: the same
    // doubles either way, so the answer does not depend on which of the two found it.
    const { sx, sy, sz } = this;
    const qx = i * sx;
    const qy = j * sy;
    const qz = k * sz;
    let warm = Infinity;
    if (this.have) {
      const dx = this.li * sx - qx;
      const dy = this.lj * sy - qy;
      const dz = this.lk * sz - qz;
      warm = dx * dx + dy * dy + dz * dz;
    }
    if (warm <= this.farSquared) return this.byRows(qx, j, k, qy, qz, warm);
    // After a jump (across the mask, to the next slice) the previous answer is far: the rows within reach answer
    // when some voxel lies inside it, else the tree does.
    const near = this.byRows(qx, j, k, qy, qz, this.farSquared);
    return near < this.farSquared ? near : this.byTree(qx, qy, qz);
  }

  /**
   * The least of `best` and the squared distances to the voxels of the rows within √best of row (j, k), whose
   * centre is (qx, qy, qz) mm. Rows are pruned with a relative slack of 1e-12, so that rounding in the row's part
   * never drops a voxel at the best distance.
   */
  private byRows(qx: number, j: number, k: number, qy: number, qz: number, best: number): number {
    const { cy, cz, sy, sz } = this;
    for (let dk = 0; ; dk++) {
      const rz = dk * sz;
      if (rz * rz > best * SLACK) break;
      for (let side = dk === 0 ? 1 : 0; side < 2; side++) {
        const kk = side === 0 ? k - dk : k + dk;
        if (kk < 0 || kk >= cz) continue;
        const dz = kk * sz - qz;
        for (let dj = 0; ; dj++) {
          const ry = dj * sy;
          if (rz * rz + ry * ry > best * SLACK) break;
          if (j + dj < cy) best = this.row(qx, j + dj, kk, (j + dj) * sy - qy, dz, best);
          if (dj > 0 && j - dj >= 0) best = this.row(qx, j - dj, kk, (j - dj) * sy - qy, dz, best);
        }
      }
    }
    return best;
  }

  /**
   * `best`, or the squared distance to row (j, k)'s voxel nearest to qx when smaller (`dy`, `dz`: the row's centre
   * minus the query's, mm).
   */
  private row(qx: number, j: number, k: number, dy: number, dz: number, best: number): number {
    const start = this.rowStart[j + this.cy * k];
    const end = this.rowStart[j + this.cy * k + 1];
    if (start === end) return best;
    const xs = this.xs;
    const sx = this.sx;
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] * sx < qx) lo = mid + 1;
      else hi = mid;
    }
    // xs[lo] is the first voxel at or after the query along the row, xs[lo − 1] the last before it.
    for (let p = lo - 1; p <= lo; p++) {
      if (p < start || p >= end) continue;
      const dx = xs[p] * sx - qx;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) {
        best = d;
        this.have = true;
        this.li = xs[p];
        this.lj = j;
        this.lk = k;
      }
    }
    return best;
  }

  private byTree(qx: number, qy: number, qz: number): number {
    const { sx, sy, sz } = this;
    this.tree ??= new KdTree(this.surface.xyz, this.surface.count);
    const best = this.tree.nearestSquared(qx, qy, qz);
    this.have = true;
    this.li = Math.round(this.tree.lastNearest(0) / sx);
    this.lj = Math.round(this.tree.lastNearest(1) / sy);
    this.lk = Math.round(this.tree.lastNearest(2) / sz);
    return best;
  }
}
