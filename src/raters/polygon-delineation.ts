/**
 * Coarse polygonal delineation, slice by slice, as a rater clicking vertices: each region's borders are traced
 * (marching squares on the pixel-centre lattice, Lorensen & Cline's 2D case table, saddles split so that diagonal
 * pixels stay apart), resampled to vertices every `stepMm` along the contour, and filled with the even–odd rule,
 * so holes (a myocardial ring, the loop of a 6) stay holes. Regions are painted in order onto an empty map.
 */
import type { Rng } from '../random/index.ts';
import { regionMask, type LabelRegion } from './label-regions.ts';

/** Options of `polygonDelineation`: vertex spacing along the contour and the regions drawn. */
export interface PolygonDelineationOptions {
  /** Distance between consecutive vertices along the contour (mm). */
  stepMm: number;
  /** Regions to draw, outer first (`label-regions.ts`). */
  regions: readonly LabelRegion[];
}

/** A re-drawn copy of `labels` (i fastest, `shape`, `spacing` mm); `rng` places the first vertex of each contour. */
export function polygonDelineation(
  labels: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  rng: Rng,
  options: PolygonDelineationOptions,
): Uint8Array {
  const [nx, ny] = shape;
  const per = nx * ny;
  const slices = labels.length / per;
  const out = new Uint8Array(labels.length);
  const mask = new Uint8Array(labels.length);
  const fill = new Uint8Array(per);
  for (const region of options.regions) {
    regionMask(labels, region, mask);
    for (let k = 0; k < slices; k++) {
      const slice = mask.subarray(k * per, (k + 1) * per);
      const loops = traceContours(slice, nx, ny).map((loop) => resample(loop, spacing, options.stepMm, rng.uniform()));
      if (loops.length === 0) continue;
      fillEvenOdd(loops, nx, ny, fill);
      for (let v = 0; v < per; v++) if (fill[v]) out[k * per + v] = region.paint;
    }
  }
  return out;
}

/** Segment table: for each case (tl 8, tr 4, br 2, bl 1), pairs of cell edges (0 top, 1 right, 2 bottom, 3 left). */
const CASES: readonly number[][] = [
  [],
  [3, 2],
  [2, 1],
  [3, 1],
  [0, 1],
  [0, 1, 3, 2],
  [0, 2],
  [3, 0],
  [3, 0],
  [0, 2],
  [3, 0, 2, 1],
  [0, 1],
  [3, 1],
  [2, 1],
  [3, 2],
  [],
];

/** Closed iso-contours (at 0.5) of a binary slice, as flat [x0, y0, x1, y1, …] arrays in pixel units. */
export function traceContours(mask: Uint8Array, nx: number, ny: number): number[][] {
  const W = nx + 2; // edge lattice covers a one-pixel border of background
  const edgeCount = 2 * W * (ny + 2);
  const adjacent = new Int32Array(2 * edgeCount).fill(-1);
  const at = (i: number, j: number) => (i >= 0 && j >= 0 && i < nx && j < ny ? mask[i + nx * j] : 0);
  const hEdge = (i: number, j: number) => 2 * (i + 1 + W * (j + 1));
  const vEdge = (i: number, j: number) => 2 * (i + 1 + W * (j + 1)) + 1;
  const link = (a: number, b: number) => {
    adjacent[2 * a + (adjacent[2 * a] < 0 ? 0 : 1)] = b;
    adjacent[2 * b + (adjacent[2 * b] < 0 ? 0 : 1)] = a;
  };
  for (let j = -1; j < ny; j++) {
    for (let i = -1; i < nx; i++) {
      const c = (at(i, j) << 3) | (at(i + 1, j) << 2) | (at(i + 1, j + 1) << 1) | at(i, j + 1);
      const segs = CASES[c];
      if (segs.length === 0) continue;
      const edges = [hEdge(i, j), vEdge(i + 1, j), hEdge(i, j + 1), vEdge(i, j)];
      for (let s = 0; s < segs.length; s += 2) link(edges[segs[s]], edges[segs[s + 1]]);
    }
  }
  const seen = new Uint8Array(edgeCount);
  const loops: number[][] = [];
  for (let start = 0; start < edgeCount; start++) {
    if (seen[start] || adjacent[2 * start] < 0) continue;
    const loop: number[] = [];
    let prev = -1;
    let cur = start;
    while (!seen[cur]) {
      seen[cur] = 1;
      const cell = cur >> 1;
      const i = (cell % W) - 1;
      const j = Math.floor(cell / W) - 1;
      if (cur & 1) loop.push(i, j + 0.5);
      else loop.push(i + 0.5, j);
      const next = adjacent[2 * cur] !== prev ? adjacent[2 * cur] : adjacent[2 * cur + 1];
      prev = cur;
      cur = next;
    }
    loops.push(loop);
  }
  return loops;
}

/** Vertices every ~`stepMm` along a closed loop (at least 3), starting at fraction `phase` of the first step. */
function resample(loop: number[], spacing: readonly number[], stepMm: number, phase: number): number[] {
  const n = loop.length / 2;
  const cum = new Float64Array(n + 1);
  for (let p = 0; p < n; p++) {
    const q = (p + 1) % n;
    cum[p + 1] =
      cum[p] + Math.hypot((loop[2 * q] - loop[2 * p]) * spacing[0], (loop[2 * q + 1] - loop[2 * p + 1]) * spacing[1]);
  }
  const perimeter = cum[n];
  const count = Math.max(3, Math.round(perimeter / stepMm));
  const step = perimeter / count;
  const out: number[] = [];
  let p = 0;
  for (let m = 0; m < count; m++) {
    const s = (m + phase) * step;
    while (p < n - 1 && cum[p + 1] < s) p++;
    const q = (p + 1) % n;
    const f = cum[p + 1] > cum[p] ? (s - cum[p]) / (cum[p + 1] - cum[p]) : 0;
    out.push(loop[2 * p] + f * (loop[2 * q] - loop[2 * p]), loop[2 * p + 1] + f * (loop[2 * q + 1] - loop[2 * p + 1]));
  }
  return out;
}

/** Even–odd fill of closed polygons at pixel centres into `out` (0/1, nx×ny). */
function fillEvenOdd(polygons: number[][], nx: number, ny: number, out: Uint8Array): void {
  out.fill(0);
  const xs: number[] = [];
  for (let j = 0; j < ny; j++) {
    xs.length = 0;
    for (const poly of polygons) {
      const n = poly.length / 2;
      for (let p = 0; p < n; p++) {
        const q = (p + 1) % n;
        const y0 = poly[2 * p + 1];
        const y1 = poly[2 * q + 1];
        if ((y0 <= j && j < y1) || (y1 <= j && j < y0)) {
          xs.push(poly[2 * p] + ((j - y0) / (y1 - y0)) * (poly[2 * q] - poly[2 * p]));
        }
      }
    }
    xs.sort((a, b) => a - b);
    for (let m = 0; m + 1 < xs.length; m += 2) {
      const from = Math.max(0, Math.ceil(xs[m]));
      const to = Math.min(nx - 1, Math.ceil(xs[m + 1]) - 1);
      for (let i = from; i <= to; i++) out[i + nx * j] = 1;
    }
  }
}
