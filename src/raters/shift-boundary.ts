/**
 * Boundary shift of a region by a distance in mm: growing adds the voxels whose centre lies within the distance of
 * the region, shrinking removes the region's voxels within the distance of its outside — a morphological dilation
 * or erosion by a ball (an ellipsoid when the distance differs per axis), computed by thresholding the exact
 * Euclidean distance transform (`volume/distance-transform.ts`) rather than by repeated structuring elements.
 */
import { MultiraterError } from '../errors.ts';
import { boundingBox, distanceTransform, type Box } from '../volume/index.ts';
import { regionMask, type LabelRegion } from './label-regions.ts';

/** Options of `shiftBoundary`: the region and the signed distance its border moves, mm. */
export interface ShiftBoundaryOptions {
  /** The region whose border moves. */
  region: LabelRegion;
  /**
   * Distance in mm: > 0 grows, < 0 shrinks. Per axis [x, y, z] for an ellipsoidal element (same sign on every
   * axis); a 0 on the third axis shifts each slice on its own (in-plane only).
   */
  mm: number | readonly number[];
  /** Labels a growing region may take over; default background only ([0]). */
  overwrite?: readonly number[];
}

/** Shifts `options.region`'s border in `labels` (i fastest, `shape`, `spacing` mm) in place. */
export function shiftBoundary(
  labels: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  options: ShiftBoundaryOptions,
): void {
  const radii = typeof options.mm === 'number' ? shape.map(() => options.mm as number) : [...options.mm];
  const signs = radii.filter((r) => r !== 0).map(Math.sign);
  if (signs.length === 0) return;
  if (signs.some((s) => s !== signs[0]))
    throw new MultiraterError(
      'invalid_argument',
      `shiftBoundary: per-axis distances ${radii.join(', ')} mm mix growing and shrinking`,
    );
  const grow = signs[0] > 0;
  const r = radii.map(Math.abs);
  if (r.slice(0, 2).some((x) => x === 0))
    throw new MultiraterError(
      'invalid_argument',
      `shiftBoundary: in-plane distances must be non-zero, got ${radii.join(', ')} mm`,
    );
  const mask = regionMask(labels, options.region);
  // Only the region's bounding box, widened by the reach, can change: run the distance transform there.
  const box = boundingBox(
    { data: mask, shape: [...shape] },
    { margin: shape.map((_, a) => Math.ceil((r[a] ?? 0) / spacing[a]) + 1) },
  );
  if (!box) return;
  const sub = crop(mask, shape, box);
  if (!grow) for (let v = 0; v < sub.data.length; v++) sub.data[v] = 1 - sub.data[v];
  const dist = ellipsoidDistance(sub.data, sub.shape, spacing, r);
  const overwrite = new Uint8Array(256);
  for (const l of options.overwrite ?? [0]) overwrite[l] = 1;
  const lo = box.start;
  const [sx, sy] = sub.shape;
  const sz = sub.shape[2] ?? 1;
  const [nx, ny] = shape;
  for (let k = 0; k < sz; k++) {
    for (let j = 0; j < sy; j++) {
      for (let i = 0; i < sx; i++) {
        const d = dist[i + sx * (j + sy * k)];
        if (!(d > 0 && d <= 1)) continue;
        const v = i + lo[0] + nx * (j + lo[1] + ny * (k + (lo[2] ?? 0)));
        if (!grow) labels[v] = options.region.under;
        else if (overwrite[labels[v]]) labels[v] = options.region.paint;
      }
    }
  }
}

function crop(mask: Uint8Array, shape: readonly number[], box: Box): { data: Uint8Array; shape: number[] } {
  const sub = box.start.map((l, a) => box.end[a] - l);
  const [nx, ny] = shape;
  const [sx, sy] = sub;
  const sz = sub[2] ?? 1;
  const data = new Uint8Array(sx * sy * sz);
  for (let k = 0; k < sz; k++) {
    for (let j = 0; j < sy; j++) {
      const from = box.start[0] + nx * (j + box.start[1] + ny * (k + (box.start[2] ?? 0)));
      data.set(mask.subarray(from, from + sx), sx * (j + sy * k));
    }
  }
  return { data, shape: sub };
}

/**
 * Distance to the nearest non-zero voxel of `features` in units of the ellipsoid with radii `r` (mm per axis):
 * ≤ 1 means inside the ellipsoid around some feature. A zero radius on the third axis (or a third axis of 1)
 * measures within each slice.
 */
function ellipsoidDistance(
  features: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  r: readonly number[],
): Float64Array {
  // Slice by slice when asked (r_z = 0) and whenever the next slice is out of reach anyway (r_z < spacing_z): then
  // no voxel of another slice can be within the ellipsoid, so the result is the same and one pass cheaper.
  const inPlane = shape.length >= 3 && (r[2] === 0 || r[2] < spacing[2]);
  if (!inPlane) return distanceTransform(features, shape, { spacing: shape.map((_, a) => spacing[a] / r[a]) });
  const plane = shape.slice(0, 2);
  const planeSpacing = [spacing[0] / r[0], spacing[1] / r[1]];
  const per = shape[0] * shape[1];
  const out = new Float64Array(features.length);
  for (let k = 0; k < features.length / per; k++) {
    out.set(distanceTransform(features.subarray(k * per, (k + 1) * per), plane, { spacing: planeSpacing }), k * per);
  }
  return out;
}
