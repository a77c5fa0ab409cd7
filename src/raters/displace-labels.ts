/**
 * Smooth random boundary displacement: the label map is resampled (nearest neighbour) through an in-plane
 * displacement field whose two components are smooth random fields (`phantom/smooth-random-field.ts`) of RMS
 * amplitude `amplitudeMm` and correlation length `correlationMm` — the hand's wobble along a drawn contour.
 * Through-plane correlation follows the same length, so slices far apart wobble independently.
 */
import type { Rng } from '../random/rng.ts';
import { smoothRandomField } from '../phantom/smooth-random-field.ts';

export interface DisplaceLabelsOptions {
  /** Root-mean-square displacement over the grid (mm). */
  amplitudeMm: number;
  /** Distance over which the displacement decorrelates (mm). */
  correlationMm: number;
}

/** A displaced copy of `labels` (i fastest, `shape`, `spacing` mm); draws from `rng`. */
export function displaceLabels(labels: Uint8Array, shape: readonly number[], spacing: readonly number[], rng: Rng, options: DisplaceLabelsOptions): Uint8Array {
  if (options.amplitudeMm <= 0) return labels.slice();
  const field = { correlationMm: options.correlationMm, spacing };
  const ux = smoothRandomField(shape, rng.fork('x'), field);
  const uy = smoothRandomField(shape, rng.fork('y'), field);
  // Each component has unit RMS; together the in-plane vector's RMS is the amplitude.
  const scale = options.amplitudeMm / Math.SQRT2;
  const [nx, ny] = shape;
  const out = new Uint8Array(labels.length);
  for (let v = 0; v < labels.length; v++) {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const base = v - i - nx * j;
    const si = Math.min(nx - 1, Math.max(0, Math.round(i + (scale * ux[v]) / spacing[0])));
    const sj = Math.min(ny - 1, Math.max(0, Math.round(j + (scale * uy[v]) / spacing[1])));
    out[v] = labels[base + si + nx * sj];
  }
  return out;
}
