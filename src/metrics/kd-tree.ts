/**
 * Exact nearest-neighbour distances between two voxel sets, by a k-d tree (Bentley, "Multidimensional binary search
 * trees used for associative searching", CACM 18(9), 1975; Friedman, Bentley & Finkel, ACM TOMS 3(3), 1977).
 * Surface distances need d(p, ∂R) only at the voxels of ∂P, so a tree over ∂R answers them in
 * O(|∂P| log |∂R|) instead of a distance transform over every voxel of the box holding both.
 *
 * The tree is implicit: points are reordered so that the node of a range [lo, hi) is its middle element `mid`,
 * the median along the range's widest axis (stored per node), with [lo, mid) on the low side and (mid, hi) on the
 * high side. Coordinates are in mm (voxel index × spacing), three per point (unused axes 0).
 */

/** Ranges of at most this many points are leaves, scanned in full: cheaper than splitting them further. */
const LEAF = 8;

/** A k-d tree over points in 3D (mm). */
export class KdTree {
  /** Coordinates, three per point, in tree order. */
  private readonly xyz: Float64Array;
  /** Split axis of the node at each position. */
  private readonly axis: Uint8Array;
  private readonly count: number;
  // Query state (one query at a time; kept on the instance so the recursion allocates nothing).
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private best = Infinity;
  /** Position of the point nearest to the previous query: its distance bounds the next query from the start. */
  private last = -1;

  /** Builds the tree over `count` points whose coordinates are `xyz` (three per point, copied). */
  constructor(xyz: Float64Array, count: number) {
    this.count = count;
    this.xyz = xyz.slice(0, 3 * count);
    this.axis = new Uint8Array(count);
    // Smaller-side recursion halves the range at each level: at most log₂(count) + 1 boxes deep.
    const boxes = new Float64Array(6 * 34);
    boxes.set(this.bounds());
    this.build(0, count, boxes, 0);
  }

  /**
   * Squared distance (mm²) from (x, y, z) to the nearest point; Infinity for an empty tree. Queries in voxel order
   * are near each other, so the previous answer's point starts as the best: its distance is a tight bound that
   * prunes most of the tree at once (the result is exact either way).
   */
  nearestSquared(x: number, y: number, z: number): number {
    this.qx = x;
    this.qy = y;
    this.qz = z;
    this.best = Infinity;
    if (this.last >= 0) {
      const p = this.xyz;
      const i = 3 * this.last;
      this.best = (p[i] - x) ** 2 + (p[i + 1] - y) ** 2 + (p[i + 2] - z) ** 2;
    }
    this.search(0, this.count);
    return this.best;
  }

  /** Coordinate `axis` (0–2, mm) of the point nearest to the last query. */
  lastNearest(axis: number): number {
    return this.xyz[3 * this.last + axis];
  }

  /**
   * Splits [lo, hi) at its median along the widest side of its box, stored at `boxes[6·depth …]` as
   * (min x, y, z, max x, y, z): the box of the points, narrowed at each split to the split value, not recomputed
   * from the points (the tree is a little less balanced in space, and every query stays exact).
   */
  private build(lo: number, hi: number, boxes: Float64Array, depth: number): void {
    const b = 6 * depth;
    while (hi - lo > LEAF) {
      const sx = boxes[b + 3] - boxes[b];
      const sy = boxes[b + 4] - boxes[b + 1];
      const sz = boxes[b + 5] - boxes[b + 2];
      const a = sx >= sy && sx >= sz ? 0 : sy >= sz ? 1 : 2;
      const mid = (lo + hi) >> 1;
      this.select(lo, hi - 1, mid, a);
      this.axis[mid] = a;
      const split = this.xyz[3 * mid + a];
      // Recurse on the smaller side, loop on the larger: the stack stays O(log n).
      const c = b + 6;
      for (let k = 0; k < 6; k++) boxes[c + k] = boxes[b + k];
      if (mid - lo < hi - mid - 1) {
        boxes[c + 3 + a] = split;
        this.build(lo, mid, boxes, depth + 1);
        boxes[b + a] = split;
        lo = mid + 1;
      } else {
        boxes[c + a] = split;
        this.build(mid + 1, hi, boxes, depth + 1);
        boxes[b + 3 + a] = split;
        hi = mid;
      }
    }
  }

  /** The bounding box of all points, (min x, y, z, max x, y, z). */
  private bounds(): Float64Array {
    const box = Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity);
    const p = this.xyz;
    for (let i = 0; i < p.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        if (p[i + a] < box[a]) box[a] = p[i + a];
        if (p[i + a] > box[3 + a]) box[3 + a] = p[i + a];
      }
    }
    return box;
  }

  /** Quickselect (Hoare): reorders [left, right] so that position k holds the k-th smallest along `a`. */
  private select(left: number, right: number, k: number, a: number): void {
    const p = this.xyz;
    while (right > left) {
      const pivot = p[3 * ((left + right) >> 1) + a];
      let i = left;
      let j = right;
      while (i <= j) {
        while (p[3 * i + a] < pivot) i++;
        while (p[3 * j + a] > pivot) j--;
        if (i <= j) {
          this.swap(i, j);
          i++;
          j--;
        }
      }
      if (k <= j) right = j;
      else if (k >= i) left = i;
      else return;
    }
  }

  private swap(i: number, j: number): void {
    const p = this.xyz;
    for (let a = 0; a < 3; a++) {
      const t = p[3 * i + a];
      p[3 * i + a] = p[3 * j + a];
      p[3 * j + a] = t;
    }
  }

  private search(lo: number, hi: number): void {
    const p = this.xyz;
    while (hi - lo > LEAF) {
      const mid = (lo + hi) >> 1;
      const dx = p[3 * mid] - this.qx;
      const dy = p[3 * mid + 1] - this.qy;
      const dz = p[3 * mid + 2] - this.qz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < this.best) {
        this.best = d;
        this.last = mid;
        if (d === 0) return;
      }
      const a = this.axis[mid];
      const diff = a === 0 ? -dx : a === 1 ? -dy : -dz; // query minus node along the split axis
      // Near side first; the far side only when the split plane is closer than the best so far.
      if (diff < 0) {
        this.search(lo, mid);
        if (diff * diff >= this.best) return;
        lo = mid + 1;
      } else {
        this.search(mid + 1, hi);
        if (diff * diff >= this.best) return;
        hi = mid;
      }
    }
    for (let i = 3 * lo; i < 3 * hi; i += 3) {
      const dx = p[i] - this.qx;
      const dy = p[i + 1] - this.qy;
      const dz = p[i + 2] - this.qz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < this.best) {
        this.best = d;
        this.last = i / 3;
      }
    }
  }
}
