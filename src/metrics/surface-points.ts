/**
 * The surface voxels (SPEC-metrics.md: a voxel of M with a face-neighbour outside M or outside the grid) of one
 * label in a prediction and a reference, inside a box of the grid, as point lists for the nearest-neighbour queries.
 *
 * Both masks are packed into bit rows (32 voxels per word, one row per (j, k) of the box, with a row of zeros
 * before and after along j and k), so a surface row is `m & ~(left & right & m(j±1) & m(k±1))`, 32 voxels per
 * operation. The box must have a margin of background around P ∪ R wherever it is not the grid border; then the
 * zeros outside the box stand for "outside M" and the surfaces are those of the full grid.
 */
import type { VoxelArray } from '../volume/index.ts';

/** The surface voxels of one mask, in voxel order. */
export interface SurfacePoints {
  /** Number of surface voxels. */
  count: number;
  /** Centres in mm from the box's first voxel, three per point: (i − i0)·sᵢ, (j − j0)·sⱼ, (k − k0)·sₖ. */
  xyz: Float64Array;
  /** Voxel indices from the box's first voxel, three per point: i − i0, j − j0, k − k0. */
  ijk: Int32Array;
  /** 1 where the voxel is also on the other mask's surface (its distance to it is 0). */
  onOther: Uint8Array;
}

/** A box of the grid, inclusive voxel indices per axis (i, j, k). */
export interface VoxelBox {
  /** Lowest voxel index per axis (i, j, k), inclusive. */
  lo: readonly [number, number, number];
  /** Highest voxel index per axis (i, j, k), inclusive. */
  hi: readonly [number, number, number];
}

/**
 * The surfaces ∂P (voxels where `pred` is `label`) and ∂R (`ref`) inside `box` of the grid `dims`, whose first
 * `ndim` axes count for neighbours, with voxel size `spacing` (mm per axis, three).
 */
export function surfacePoints(
  pred: VoxelArray,
  ref: VoxelArray,
  label: number,
  dims: readonly [number, number, number],
  ndim: number,
  box: VoxelBox,
  spacing: readonly [number, number, number],
): { pred: SurfacePoints; ref: SurfacePoints } {
  const [x0, y0, z0] = box.lo;
  const cx = box.hi[0] - x0 + 1,
    cy = box.hi[1] - y0 + 1,
    cz = box.hi[2] - z0 + 1;
  const words = (cx + 31) >>> 5;
  const predBits = packBits(pred, label, dims, box, words);
  const refBits = packBits(ref, label, dims, box, words);
  const predSurface = surfaceBits(predBits, cy, cz, words, ndim);
  const refSurface = surfaceBits(refBits, cy, cz, words, ndim);
  return {
    pred: points(predSurface, refSurface, cy, cz, words, spacing),
    ref: points(refSurface, predSurface, cy, cz, words, spacing),
  };
}

/** Row of (y, z) in the padded bit layout: rows y = −1 … cy and z = −1 … cz, `words` words each. */
const rowOf = (y: number, z: number, cy: number): number => y + 1 + (cy + 2) * (z + 1);

/** Bit x of row (y, z) set where `data` is `label` at box voxel (x, y, z); the padding rows stay 0. */
function packBits(
  data: VoxelArray,
  label: number,
  dims: readonly [number, number, number],
  box: VoxelBox,
  words: number,
): Int32Array {
  const [nx, ny] = dims;
  const [x0, y0, z0] = box.lo;
  const [x1, y1, z1] = box.hi;
  const cy = y1 - y0 + 1;
  const bits = new Int32Array((cy + 2) * (z1 - z0 + 3) * words);
  if (data instanceof Uint8Array && data.byteOffset % 4 === 0) {
    packByteWords(data, label, dims, box, words, bits);
    return bits;
  }
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      let w = rowOf(y - y0, z - z0, cy) * words;
      let idx = x0 + nx * (y + ny * z);
      for (let x = x0; x <= x1; x += 32, w++) {
        const end = Math.min(x + 32, x1 + 1);
        let word = 0;
        for (let b = 0, xi = x; xi < end; xi++, b++, idx++) if (data[idx] === label) word |= 1 << b;
        bits[w] = word;
      }
    }
  }
  return bits;
}

/**
 * `packBits` for byte label maps, four voxels per 32-bit read: a byte b equals `label` where m = b ^ label is 0, and
 * ((m & 0x7f) + 0x7f | m) & 0x80 is clear exactly then (no carry leaves a byte), so one read gives the four voxels'
 * bits; a row's reads start at the aligned word holding its first voxel, the bits before it and after its last
 * voxel masked off.
 */
function packByteWords(
  data: Uint8Array,
  label: number,
  dims: readonly [number, number, number],
  box: VoxelBox,
  words: number,
  bits: Int32Array,
): void {
  const [nx, ny] = dims;
  const [x0, y0, z0] = box.lo;
  const [x1, y1, z1] = box.hi;
  const cy = y1 - y0 + 1;
  const cx = x1 - x0 + 1;
  const data32 = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  const repeated = Math.imul(label & 0xff, 0x01010101);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = rowOf(y - y0, z - z0, cy) * words;
      const first = x0 + nx * (y + ny * z);
      const last = first + cx - 1;
      // Bit p of the row is voxel first + p; the read at byte 4q covers row bits 4q − first … 4q − first + 3.
      for (let q = first >> 2; q <= last >> 2; q++) {
        let v: number;
        if (4 * q + 3 < data.length) v = data32[q];
        else {
          v = 0; // the grid's last bytes, past its last whole word
          for (let b = 0; 4 * q + b < data.length; b++) v |= data[4 * q + b] << (8 * b);
        }
        const m = v ^ repeated;
        const equal = ~(((m & 0x7f7f7f7f) + 0x7f7f7f7f) | m) & 0x80808080;
        if (equal === 0) continue;
        let f = ((equal >>> 7) & 1) | ((equal >>> 14) & 2) | ((equal >>> 21) & 4) | ((equal >>> 28) & 8);
        let p = 4 * q - first;
        if (p < 0) {
          f >>>= -p;
          p = 0;
        }
        const end = last - first - p; // the row's last bit, relative to p
        if (end < 3) f &= (1 << (end + 1)) - 1;
        if (f === 0) continue;
        const w = row + (p >>> 5);
        const b = p & 31;
        bits[w] |= f << b;
        if (b > 28) bits[w + 1] |= f >>> (32 - b);
      }
    }
  }
}

/** The surface bits of a packed mask: set, and some face-neighbour (among the first `ndim` axes) clear. */
function surfaceBits(bits: Int32Array, cy: number, cz: number, words: number, ndim: number): Int32Array {
  const out = new Int32Array(bits.length);
  const dy = words;
  const dz = (cy + 2) * words;
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const row = rowOf(y, z, cy) * words;
      for (let w = 0; w < words; w++) {
        const i = row + w;
        const m = bits[i];
        if (m === 0) continue;
        // Bit b's left neighbour is bit b − 1 (the previous word's top bit for b = 0), its right one bit b + 1;
        // bits past the row's end are 0, which is the box border.
        const left = (m << 1) | (w > 0 ? bits[i - 1] >>> 31 : 0);
        const right = (m >>> 1) | (w + 1 < words ? bits[i + 1] << 31 : 0);
        let inner = m & left & right;
        if (ndim >= 2) inner &= bits[i - dy] & bits[i + dy];
        if (ndim >= 3) inner &= bits[i - dz] & bits[i + dz];
        out[i] = m & ~inner;
      }
    }
  }
  return out;
}

/** The set bits of `surface` as points (box-relative centres in mm), flagged where `other` is set too. */
function points(
  surface: Int32Array,
  other: Int32Array,
  cy: number,
  cz: number,
  words: number,
  spacing: readonly [number, number, number],
): SurfacePoints {
  let count = 0;
  for (let i = 0; i < surface.length; i++) count += popcount(surface[i]);
  const xyz = new Float64Array(3 * count);
  const ijk = new Int32Array(3 * count);
  const onOther = new Uint8Array(count);
  let k = 0;
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const row = rowOf(y, z, cy) * words;
      for (let w = 0; w < words; w++) {
        let s = surface[row + w];
        const o = other[row + w];
        while (s !== 0) {
          const b = 31 - Math.clz32(s & -s); // lowest set bit
          s &= s - 1;
          const x = 32 * w + b;
          ijk[3 * k] = x;
          ijk[3 * k + 1] = y;
          ijk[3 * k + 2] = z;
          xyz[3 * k] = x * spacing[0];
          xyz[3 * k + 1] = y * spacing[1];
          xyz[3 * k + 2] = z * spacing[2];
          onOther[k] = (o >>> b) & 1;
          k++;
        }
      }
    }
  }
  return { count, xyz, ijk, onOther };
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
