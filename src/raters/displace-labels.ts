/**
 * Smooth random boundary displacement: the label map is resampled (nearest neighbour) through an in-plane
 * displacement field whose two components are smooth random fields (`phantom/smooth-random-field.ts`) of RMS
 * amplitude `amplitudeMm` and correlation length `correlationMm` — the hand's wobble along a drawn contour.
 * Through-plane correlation follows the same length, so slices far apart wobble independently.
 */
import type { Rng } from '../random/index.ts';
import { smoothRandomField } from '../phantom/index.ts';

/** Options of `displaceLabels`: size and smoothness of the in-plane boundary wobble, mm. */
export interface DisplaceLabelsOptions {
  /** Root-mean-square displacement over the grid (mm). */
  amplitudeMm: number;
  /** Distance over which the displacement decorrelates (mm). */
  correlationMm: number;
}

/** A displaced copy of `labels` (i fastest, `shape`, `spacing` mm); draws from `rng`. */
export function displaceLabels(
  labels: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  rng: Rng,
  options: DisplaceLabelsOptions,
): Uint8Array {
  if (options.amplitudeMm <= 0) return labels.slice();
  const field = { correlationMm: options.correlationMm, spacing };
  const ux = smoothRandomField(shape, rng.fork('x'), field);
  const uy = smoothRandomField(shape, rng.fork('y'), field);
  // Each component has unit RMS; together the in-plane vector's RMS is the amplitude.
  const scale = options.amplitudeMm / Math.SQRT2;
  const [nx, ny] = shape;
  const [sx, sy] = spacing;
  const out = new Uint8Array(labels.length);
  for (let base = 0, v = 0; base < labels.length; base += nx * ny) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        out[v] = labels[base + nearest(i + (scale * ux[v]) / sx, nx) + nx * nearest(j + (scale * uy[v]) / sy, ny)];
      }
    }
  }
  return out;
}

/**
 * Math.round(x) clamped to 0 … n − 1. For x ≥ 0, truncating x + 0.5 rounds as Math.round does (bar x = 0.5 − 2⁻⁵⁴)
 * and is several times cheaper; x < 0 rounds to 0 or below and clamps to 0 either way.
 */
function nearest(x: number, n: number): number {
  if (!(x > 0)) return 0;
  const r = (x + 0.5) | 0;
  return r < n ? r : n - 1;
}
