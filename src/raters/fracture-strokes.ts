/**
 * Morpho-MNIST-style fractures (Castro et al., "Morpho-MNIST", JMLR 20(178), 2019): thin cuts across a stroke at
 * random points well inside it. Each cut runs through the chosen point toward the nearest background pixel — across
 * the stroke — and a little beyond on both sides, `widthPx` wide. Slice by slice (2D).
 */
import type { Rng } from '../random/index.ts';
import { distanceTransform } from '../volume/index.ts';

/** Options of `fractureStrokes`: how many cuts per slice and how wide. */
export interface FractureOptions {
  /** Cuts per slice that holds foreground. */
  count: number;
  /** Width of each cut (pixels). */
  widthPx: number;
}

/** Cuts `options.count` fractures into the foreground (non-zero) of each slice of `labels`, in place. */
export function fractureStrokes(
  labels: Uint8Array,
  shape: readonly number[],
  rng: Rng,
  options: FractureOptions,
): void {
  const [nx, ny] = shape;
  const per = nx * ny;
  const outside = new Uint8Array(per);
  for (let k = 0; k < labels.length / per; k++) {
    const slice = labels.subarray(k * per, (k + 1) * per);
    for (let v = 0; v < per; v++) outside[v] = slice[v] === 0 ? 1 : 0;
    const depth = distanceTransform(outside, [nx, ny]);
    let deepest = 0;
    for (let v = 0; v < per; v++) if (slice[v] && depth[v] > deepest) deepest = depth[v];
    const candidates: number[] = [];
    for (let v = 0; v < per; v++) if (slice[v] && depth[v] >= 0.6 * deepest) candidates.push(v);
    for (let c = 0; c < options.count && candidates.length > 0; c++) {
      const p = candidates[rng.int(candidates.length)];
      cut(slice, outside, nx, ny, p % nx, Math.floor(p / nx), options.widthPx);
    }
  }
}

function cut(
  slice: Uint8Array,
  outside: Uint8Array,
  nx: number,
  ny: number,
  pi: number,
  pj: number,
  width: number,
): void {
  // Nearest background pixel within a small window gives the direction across the stroke.
  let best = Infinity;
  let di = 1;
  let dj = 0;
  for (let j = Math.max(0, pj - 6); j <= Math.min(ny - 1, pj + 6); j++) {
    for (let i = Math.max(0, pi - 6); i <= Math.min(nx - 1, pi + 6); i++) {
      if (!outside[i + nx * j]) continue;
      const d = (i - pi) ** 2 + (j - pj) ** 2;
      if (d < best) {
        best = d;
        di = i - pi;
        dj = j - pj;
      }
    }
  }
  const len = Math.hypot(di, dj) || 1;
  const ux = di / len;
  const uy = dj / len;
  const reach = 2.5 * len + 1;
  for (let j = Math.max(0, Math.floor(pj - reach)); j <= Math.min(ny - 1, Math.ceil(pj + reach)); j++) {
    for (let i = Math.max(0, Math.floor(pi - reach)); i <= Math.min(nx - 1, Math.ceil(pi + reach)); i++) {
      const x = i - pi;
      const y = j - pj;
      const along = x * ux + y * uy;
      const across = -x * uy + y * ux;
      if (Math.abs(along) <= reach && Math.abs(across) <= width / 2) slice[i + nx * j] = 0;
    }
  }
}
