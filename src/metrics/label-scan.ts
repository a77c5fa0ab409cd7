/**
 * One pass over a prediction/reference pair: the overlap counts and the bounding box of the union P ∪ R per label,
 * so the distance work can be restricted to that box (plus a one-voxel margin). `scanLabels` does every label in the
 * same pass (and finds which labels are present), `scanLabel` one given label.
 */
import type { VoxelArray } from '../volume/index.ts';

/** Voxel counts and the union's bounding box for one label. Grid axes are padded to three (i, j, k). */
export interface LabelScan {
  /** Voxels in P ∩ R. */
  tp: number;
  /** Voxels in P (the prediction's label ℓ). */
  predCount: number;
  /** Voxels in R (the reference's label ℓ). */
  refCount: number;
  /** Lowest index per axis (i, j, k) of a voxel in P ∪ R; meaningless when the union is empty. */
  lo: [number, number, number];
  /** Highest index per axis (i, j, k) of a voxel in P ∪ R; −1 when the union is empty. */
  hi: [number, number, number];
}

/** Counts |P ∩ R|, |P|, |R| for `label` and the bounding box of P ∪ R on a grid of up to three axes `dims`. */
export function scanLabel(
  pred: VoxelArray,
  ref: VoxelArray,
  label: number,
  dims: readonly [number, number, number],
): LabelScan {
  const [nx, ny, nz] = dims;
  let tp = 0;
  let predCount = 0;
  let refCount = 0;
  let x0 = nx,
    y0 = ny,
    z0 = nz,
    x1 = -1,
    y1 = -1,
    z1 = -1;
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let rowLo = nx;
      let rowHi = -1;
      for (let x = 0; x < nx; x++, idx++) {
        const p = pred[idx] === label;
        const r = ref[idx] === label;
        if (p || r) {
          if (p) predCount++;
          if (r) refCount++;
          if (p && r) tp++;
          if (rowLo === nx) rowLo = x;
          rowHi = x;
        }
      }
      if (rowHi >= 0) {
        if (rowLo < x0) x0 = rowLo;
        if (rowHi > x1) x1 = rowHi;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  }
  return { tp, predCount, refCount, lo: [x0, y0, z0], hi: [x1, y1, z1] };
}

/** Scans of every non-zero label present in `pred` or `ref` (plus `extra` labels, absent ones as empty scans). */
export function scanLabels(
  pred: VoxelArray,
  ref: VoxelArray,
  dims: readonly [number, number, number],
  extra: readonly number[] = [],
): Map<number, LabelScan> {
  const bytes = pred instanceof Uint8Array && ref instanceof Uint8Array;
  const words = bytes && dims[0] % 4 === 0 && pred.byteOffset % 4 === 0 && ref.byteOffset % 4 === 0;
  const found = words ? scanByteWords(pred, ref, dims) : scanVoxels(pred, ref, dims);
  const [nx, ny, nz] = dims;
  const scans = new Map<number, LabelScan>();
  for (const v of [...found.keys(), ...extra].sort((a, b) => a - b)) {
    if (!scans.has(v))
      scans.set(v, found.get(v) ?? { tp: 0, predCount: 0, refCount: 0, lo: [nx, ny, nz], hi: [-1, -1, -1] });
  }
  return scans;
}

/** Per label value (0–255): counts and union box, filled by `scanByteWords`. */
class ByteLabelTable {
  readonly tp = new Float64Array(256);
  readonly predCount = new Float64Array(256);
  readonly refCount = new Float64Array(256);
  readonly lo: Int32Array;
  readonly hi = new Int32Array(3 * 256).fill(-1);
  /** The last row (y + ny·z, plus 1) in which the label was seen: its y and z bounds are grown once per row. */
  readonly seenRow = new Float64Array(256);

  constructor(dims: readonly [number, number, number]) {
    this.lo = new Int32Array(3 * 256);
    for (let v = 0; v < 256; v++) this.lo.set(dims, 3 * v);
  }

  /** Label `v` at x = `xa` … `xb` of row (y, z), whose stamp is `row`. */
  touch(v: number, xa: number, xb: number, y: number, z: number, row: number): void {
    const b = 3 * v;
    if (xa < this.lo[b]) this.lo[b] = xa;
    if (xb > this.hi[b]) this.hi[b] = xb;
    if (this.seenRow[v] === row) return;
    this.seenRow[v] = row;
    if (y < this.lo[b + 1]) this.lo[b + 1] = y;
    if (y > this.hi[b + 1]) this.hi[b + 1] = y;
    if (z < this.lo[b + 2]) this.lo[b + 2] = z;
    if (z > this.hi[b + 2]) this.hi[b + 2] = z;
  }

  scans(): Map<number, LabelScan> {
    const out = new Map<number, LabelScan>();
    for (let v = 1; v < 256; v++) {
      if (this.predCount[v] + this.refCount[v] === 0) continue;
      const b = 3 * v;
      out.set(v, {
        tp: this.tp[v],
        predCount: this.predCount[v],
        refCount: this.refCount[v],
        lo: [this.lo[b], this.lo[b + 1], this.lo[b + 2]],
        hi: [this.hi[b], this.hi[b + 1], this.hi[b + 2]],
      });
    }
    return out;
  }
}

/**
 * Byte maps whose rows are whole 32-bit words, a word (four voxels) at a time: background words cost one OR, and
 * words where both maps hold the same label in all four bytes (the inside of an agreeing region) one comparison.
 */
function scanByteWords(
  pred: Uint8Array,
  ref: Uint8Array,
  dims: readonly [number, number, number],
): Map<number, LabelScan> {
  const [nx, ny, nz] = dims;
  const table = new ByteLabelTable(dims);
  const pred32 = new Uint32Array(pred.buffer, pred.byteOffset, pred.length >> 2);
  const ref32 = new Uint32Array(ref.buffer, ref.byteOffset, ref.length >> 2);
  let w = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = y + ny * z + 1;
      for (let x = 0; x < nx; x += 4, w++) {
        const pw = pred32[w];
        const rw = ref32[w];
        if ((pw | rw) === 0) continue;
        const v = pw & 0xff;
        if (pw === rw && pw === Math.imul(v, 0x01010101) >>> 0) {
          table.tp[v] += 4;
          table.predCount[v] += 4;
          table.refCount[v] += 4;
          table.touch(v, x, x + 3, y, z, row);
          continue;
        }
        for (let b = 0, idx = 4 * w; b < 4; b++, idx++) {
          const p = pred[idx];
          const r = ref[idx];
          if (p !== 0) {
            table.predCount[p]++;
            if (p === r) table.tp[p]++;
            table.touch(p, x + b, x + b, y, z, row);
          }
          if (r !== 0) {
            table.refCount[r]++;
            if (r !== p) table.touch(r, x + b, x + b, y, z, row);
          }
        }
      }
    }
  }
  return table.scans();
}

/** Any voxel types, voxel by voxel; label values are found through a Map. */
function scanVoxels(
  pred: VoxelArray,
  ref: VoxelArray,
  dims: readonly [number, number, number],
): Map<number, LabelScan> {
  const [nx, ny, nz] = dims;
  const slotOf = new Map<number, number>();
  const counts: number[] = []; // per slot: tp, predCount, refCount
  const boxes: number[] = []; // per slot: x0, y0, z0, x1, y1, z1
  const values: number[] = [];
  const slot = (v: number): number => {
    let s = slotOf.get(v) ?? -1;
    if (s < 0) {
      s = values.length;
      values.push(v);
      counts.push(0, 0, 0);
      boxes.push(nx, ny, nz, -1, -1, -1);
      slotOf.set(v, s);
    }
    return s;
  };
  const grow = (s: number, x: number, y: number, z: number): void => {
    const b = 6 * s;
    if (x < boxes[b]) boxes[b] = x;
    if (y < boxes[b + 1]) boxes[b + 1] = y;
    if (z < boxes[b + 2]) boxes[b + 2] = z;
    if (x > boxes[b + 3]) boxes[b + 3] = x;
    if (y > boxes[b + 4]) boxes[b + 4] = y;
    if (z > boxes[b + 5]) boxes[b + 5] = z;
  };
  let idx = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, idx++) {
        const p = pred[idx];
        const r = ref[idx];
        if (p === 0 && r === 0) continue;
        if (p !== 0) {
          const s = slot(p);
          counts[3 * s + 1]++;
          if (p === r) counts[3 * s]++;
          grow(s, x, y, z);
        }
        if (r !== 0) {
          const s = slot(r);
          counts[3 * s + 2]++;
          if (r !== p) grow(s, x, y, z);
        }
      }
    }
  }
  const out = new Map<number, LabelScan>();
  values.forEach((v, s) => {
    const b = 6 * s;
    out.set(v, {
      tp: counts[3 * s],
      predCount: counts[3 * s + 1],
      refCount: counts[3 * s + 2],
      lo: [boxes[b], boxes[b + 1], boxes[b + 2]],
      hi: [boxes[b + 3], boxes[b + 4], boxes[b + 5]],
    });
  });
  return out;
}
