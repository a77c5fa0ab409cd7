/**
 * One plane of a 2D–4D volume as a single-slice volume that `sliceOverlay` draws: along k (axis 2) the short-axis
 * slice itself (columns i, rows j downward); along i (axis 0) columns j, rows k; along j (axis 1) columns i, rows
 * k — k rows run upward (highest k on top), as sagittal and coronal views show the head or base on top. Rows and
 * columns are repeated so that pixels are about square when the spacing is anisotropic (10 mm slices, 1.5 mm pixels).
 */
import { extractFrame, extractSlice } from '../volume/index.ts';
import { allocate, createVolume, type Volume } from '../volume/index.ts';

/** Axis a plane is cut across: 0 = i, 1 = j, 2 = k. */
export type SliceAxis = 0 | 1 | 2;

/** Options of {@link slicePlane}. */
export interface SlicePlaneOptions {
  /** Frame along the fourth axis; default 0 (ignored for 2D/3D volumes). */
  frame?: number;
  /** Repeat rows/columns for about square pixels; default true. */
  squarePixels?: boolean;
}

/** The plane `index` across `axis` of `volume` as a volume of shape [columns, rows, 1]. */
export function slicePlane(volume: Volume, axis: SliceAxis, index: number, options: SlicePlaneOptions = {}): Volume {
  const [nx, ny = 1, nz = 1] = volume.shape;
  const stack =
    volume.shape.length === 4
      ? extractFrame(volume, options.frame ?? 0)
      : volume.shape.length === 3
        ? volume
        : createVolume([nx, ny, nz], volume.data, { spacing: [volume.spacing[0], volume.spacing[1] ?? 1, 1] });
  const plane = extractSlice(stack, { axis, index });
  const [w, h] = plane.shape;
  const [sw, sh] = plane.spacing;
  const square = options.squarePixels ?? true;
  const cRep = square ? Math.max(1, Math.round(sw / Math.min(sw, sh))) : 1;
  const rRep = square ? Math.max(1, Math.round(sh / Math.min(sw, sh))) : 1;
  const upward = axis !== 2;
  const W = w * cRep;
  const H = h * rRep;
  const out = allocate(volume.dtype, W * H);
  for (let y = 0; y < H; y++) {
    const r = Math.floor(y / rRep);
    const row = (upward ? h - 1 - r : r) * w;
    for (let x = 0; x < W; x++) out[x + W * y] = plane.data[row + Math.floor(x / cRep)];
  }
  return createVolume([W, H, 1], out, { spacing: [sw / cRep, sh / rRep, stack.spacing[axis]] });
}
