/**
 * The grid of blocks Spatial STAPLE estimates performance on: the image cut into blocks of `blockSize` voxels per
 * axis; block b's window is the blocks within `windowBlocks` of it along every axis (overlapping windows); values
 * at a voxel are interpolated multilinearly between the centres of the 2^d nearest blocks.
 */
export interface BlockGrid {
  /** Image shape (voxels per axis, i fastest). */
  shape: number[];
  /** Blocks per axis. */
  blocks: number[];
  /** Linear stride of each axis in the block array. */
  strides: number[];
  /** Number of blocks. */
  count: number;
  /** Per axis and coordinate: the lower interpolation block. */
  lower: Int32Array[];
  /** Per axis and coordinate: the upper interpolation block (the lower one at the grid's edge). */
  upper: Int32Array[];
  /** Per axis and coordinate: weight of the upper block, 0–1 (0 where upper = lower). */
  t: Float64Array[];
  /** Per axis and coordinate: the block holding it. */
  blockOf: Int32Array[];
}

/** The block grid of an image of `shape` with blocks of `blockSize` voxels per axis. */
export function blockGrid(shape: readonly number[], blockSize: readonly number[]): BlockGrid {
  const blocks = shape.map((s, a) => Math.ceil(s / blockSize[a]));
  const strides: number[] = [];
  let count = 1;
  for (const n of blocks) {
    strides.push(count);
    count *= n;
  }
  const lower: Int32Array[] = [];
  const upper: Int32Array[] = [];
  const t: Float64Array[] = [];
  const blockOf: Int32Array[] = [];
  shape.forEach((size, a) => {
    const b = blockSize[a];
    const n = blocks[a];
    const centre = (c: number) => (c * b + Math.min(c * b + b, size) - 1) / 2;
    const lo = new Int32Array(size);
    const hi = new Int32Array(size);
    const w = new Float64Array(size);
    const of = new Int32Array(size);
    for (let x = 0; x < size; x++) {
      of[x] = Math.floor(x / b);
      let c0 = of[x];
      if (x < centre(c0)) c0--;
      c0 = Math.max(0, Math.min(n - 1, c0));
      const c1 = Math.min(c0 + 1, n - 1);
      lo[x] = c0;
      hi[x] = c1;
      w[x] = c1 > c0 ? Math.max(0, Math.min(1, (x - centre(c0)) / (centre(c1) - centre(c0)))) : 0;
    }
    lower.push(lo);
    upper.push(hi);
    t.push(w);
    blockOf.push(of);
  });
  return { shape: [...shape], blocks, strides, count, lower, upper, t, blockOf };
}

/**
 * Fills `cells` and `weights` (length 2^d) with the blocks and multilinear weights interpolating at the voxel of
 * linear index `v`.
 */
export function interpolationCorners(grid: BlockGrid, v: number, cells: Int32Array, weights: Float64Array): void {
  const d = grid.shape.length;
  cells.fill(0);
  weights.fill(1);
  let rest = v;
  for (let a = 0; a < d; a++) {
    const x = rest % grid.shape[a];
    rest = (rest - x) / grid.shape[a];
    const lo = grid.lower[a][x] * grid.strides[a];
    const hi = grid.upper[a][x] * grid.strides[a];
    const t = grid.t[a][x];
    for (let corner = 0; corner < cells.length; corner++) {
      if ((corner >> a) & 1) {
        cells[corner] += hi;
        weights[corner] *= t;
      } else {
        cells[corner] += lo;
        weights[corner] *= 1 - t;
      }
    }
  }
}

/** The block holding the voxel of linear index `v`. */
export function blockIndex(grid: BlockGrid, v: number): number {
  let rest = v;
  let block = 0;
  for (let a = 0; a < grid.shape.length; a++) {
    const x = rest % grid.shape[a];
    rest = (rest - x) / grid.shape[a];
    block += grid.blockOf[a][x] * grid.strides[a];
  }
  return block;
}

/**
 * Replaces each block's `entries` values in `data` (block-major) by their sum over the blocks within `radius`
 * along every axis (clipped at the border): a separable box sum, one running sum per axis.
 */
export function windowSums(grid: BlockGrid, data: Float64Array, entries: number, radius: number): void {
  const line = new Float64Array(Math.max(...grid.blocks) * entries);
  grid.blocks.forEach((n, a) => {
    if (n === 1 || radius === 0) return;
    const stride = grid.strides[a] * entries;
    for (let start = 0; start < grid.count; start++) {
      if (Math.floor(start / grid.strides[a]) % n !== 0) continue;
      const base = start * entries;
      for (let c = 0; c < n; c++) line.set(data.subarray(base + c * stride, base + c * stride + entries), c * entries);
      for (let c = 0; c < n; c++) {
        const lo = Math.max(0, c - radius);
        const hi = Math.min(n - 1, c + radius);
        const out = base + c * stride;
        for (let e = 0; e < entries; e++) {
          let sum = 0;
          for (let k = lo; k <= hi; k++) sum += line[k * entries + e];
          data[out + e] = sum;
        }
      }
    }
  });
}
