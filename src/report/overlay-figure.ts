/**
 * A figure of an image with one or more label maps: one row per slice, the image alone in the first column and the
 * image under each label map in the next ones (label outlines, or a translucent fill), as one RGB picture.
 */
import { MultiraterError } from '../errors.ts';
import type { RgbImage } from './write-png.ts';
import { formatShape, type Volume } from '../volume/index.ts';
import { montage, sliceOverlay } from './slice-overlay.ts';
import { slicePlane, type SliceAxis } from './slice-plane.ts';

/** Options of {@link overlayFigure}: which slices, how drawn, at what zoom. */
export interface OverlayFigureOptions {
  /** Axis the slices are cut across (0 = i, 1 = j, 2 = k); default 2 (short-axis slices of a cine stack). */
  axis?: SliceAxis;
  /** Slice indices along `axis`, one row each; default three at ¼, ½ and ¾ of the axis (fewer when it is short). */
  slices?: number[];
  /** Frame of a 4D image (and of 4D label maps); default 0. */
  frame?: number;
  /** 'outline' draws label borders, 'fill' tints labelled pixels; default 'outline'. */
  mode?: 'outline' | 'fill';
  /** Integer magnification, pixels per (square) voxel; default 3. */
  zoom?: number;
  /** Black pixels between tiles; default 2. */
  gap?: number;
}

/** A grid of slice tiles {@link overlayFigure} drew: one row per slice, the image then each label map over it. */
export interface OverlayFigure {
  /** The figure, 8-bit RGB. */
  picture: RgbImage;
  /** The slices drawn, one row each, top to bottom. */
  slices: number[];
  /** Tiles per row: the image, then one per label map. */
  columns: number;
}

/** Up to three distinct slices at ¼, ½ and ¾ of an axis of `n` slices. */
export function defaultSlices(n: number): number[] {
  return [...new Set([0.25, 0.5, 0.75].map((q) => Math.min(n - 1, Math.floor(q * n))))];
}

/** The figure of `image` with `labels` (each on the image's grid); see the file comment. */
export function overlayFigure(
  image: Volume,
  labels: readonly Volume[],
  options: OverlayFigureOptions = {},
): OverlayFigure {
  const axis = options.axis ?? 2;
  const grid = image.shape.slice(0, 3);
  labels.forEach((l, n) => {
    if (l.shape.slice(0, 3).join('×') !== grid.join('×')) {
      throw new MultiraterError(
        'grid_mismatch',
        `overlay: label map ${n + 1} grid ${formatShape(l.shape.slice(0, 3))} differs from the image's ${formatShape(grid)}`,
      );
    }
  });
  const slices = options.slices ?? defaultSlices(grid[axis] ?? 1);
  const frame = options.frame ?? 0;
  const tile = { mode: options.mode, zoom: options.zoom, slice: 0 };
  const tiles: RgbImage[] = [];
  for (const s of slices) {
    const picture = slicePlane(image, axis, s, { frame });
    tiles.push(sliceOverlay(picture, null, tile));
    for (const l of labels)
      tiles.push(sliceOverlay(picture, slicePlane(l, axis, s, { frame: l.shape.length === 4 ? frame : 0 }), tile));
  }
  return { picture: montage(tiles, labels.length + 1, options.gap ?? 2), slices, columns: labels.length + 1 };
}
