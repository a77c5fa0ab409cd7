/**
 * Surface metrics derived from one pair's directed surface distances (SPEC-metrics.md):
 * - hd: the larger of the two directed maxima;
 * - hd95: the larger of the two directed 95th percentiles (per direction, not pooled), each with linear
 *   interpolation between order statistics (numpy's default `percentile`);
 * - assd: pooled mean over both surfaces (MONAI's symmetric average surface distance);
 * - masd: mean of the two directed means (MedPy's `assd`);
 * - surfaceDice: normalised surface Dice at tolerance τ (Nikolov et al., "Clinically applicable segmentation of
 *   head and neck anatomy for radiotherapy", JMIR 2021): the fraction of both surfaces lying within τ mm of the
 *   other surface. Surface elements are the SPEC's surface voxels, each weighted 1 (MONAI's `compute_surface_dice`
 *   without sub-voxel areas) rather than the paper's surfel areas, so it agrees with the other distance metrics.
 */
import { quantileSorted } from '../stats/index.ts';
import type { SurfaceDistances } from './surface-distances.ts';

/** Surface metrics of one label, mm except surfaceDice (a fraction). Null when P or R is empty. */
export interface SurfaceMetrics {
  /** Hausdorff distance, mm. */
  hd: number | null;
  /** Larger of the two directed 95th-percentile distances, mm. */
  hd95: number | null;
  /** Average symmetric surface distance pooled over both surfaces, mm. */
  assd: number | null;
  /** Mean of the two directed mean surface distances, mm. */
  masd: number | null;
  /** Fraction of surface voxels of both masks within the tolerance of the other surface; see `surfaceMetrics`. */
  surfaceDice: number | null;
}

/** Options of `surfaceMetrics`. */
export interface SurfaceMetricsOptions {
  /** Surface Dice tolerance τ, mm; default 2. */
  tolerance?: number;
}

/** Default surface Dice tolerance, mm. */
export const DEFAULT_SURFACE_TOLERANCE_MM = 2;

/**
 * Surface metrics from directed distances, or all-null (except surfaceDice) when `distances` is null because a
 * mask is empty: surfaceDice is then 1 when both masks are empty (`bothEmpty`) and 0 when only one is, like Dice.
 * Sorts the distance arrays in place.
 */
export function surfaceMetrics(
  distances: SurfaceDistances | null,
  bothEmpty: boolean,
  options: SurfaceMetricsOptions = {},
): SurfaceMetrics {
  if (distances === null) return { hd: null, hd95: null, assd: null, masd: null, surfaceDice: bothEmpty ? 1 : 0 };
  const tol = options.tolerance ?? DEFAULT_SURFACE_TOLERANCE_MM;
  const a = distances.predToRef.sort();
  const b = distances.refToPred.sort();
  const sumA = sum(a);
  const sumB = sum(b);
  return {
    hd: Math.max(a[a.length - 1], b[b.length - 1]),
    // Distances are finite and ≥ +0, so at a whole rank the interpolation returns the order statistic itself.
    hd95: Math.max(quantileSorted(a, 0.95), quantileSorted(b, 0.95)),
    assd: (sumA + sumB) / (a.length + b.length),
    masd: (sumA / a.length + sumB / b.length) / 2,
    surfaceDice: (countAtMost(a, tol) + countAtMost(b, tol)) / (a.length + b.length),
  };
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Number of ascending `sorted` values ≤ `limit` (binary search). */
function countAtMost(sorted: Float64Array, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
