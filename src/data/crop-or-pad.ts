/**
 * Crop or pad a volume to a fixed size (nnU-Net's and MONAI's `ResizeWithPadOrCrop`/`SpatialCrop` in one step):
 * a window of `size` voxels starting at index `start` (negative or past the end = padding). The window is chosen
 * around the volume's centre or around the label's bounding box; the affine follows the window, so the result
 * keeps its world position and a prediction can be put back with the recorded `start`.
 */
import { boundingBox } from '../volume/index.ts';
import { crop } from '../volume/index.ts';
import type { Volume } from '../volume/index.ts';

/** Start index per axis of a `size` window centred on `centre` (voxel index, may be fractional). */
export function windowStart(shape: readonly number[], size: readonly number[], centre: readonly number[]): number[] {
  return shape.map((n, a) => {
    const s = size[a];
    const start = Math.floor(centre[a] + 0.5 - s / 2);
    // A window that fits stays inside the volume, so it is not padded needlessly.
    return s <= n ? Math.min(Math.max(start, 0), n - s) : Math.floor((n - s) / 2);
  });
}

/** Centre (voxel index, per axis) of the bounding box of the non-zero voxels, or null when there are none. */
export function labelBoundingBoxCentre(label: Volume): number[] | null {
  const box = boundingBox(label);
  return box ? box.start.map((lo, a) => (lo + box.end[a] - 1) / 2) : null;
}

/** The `size` window of `volume` starting at `start` (per axis, any integer); outside voxels are `padValue`. */
export function cropOrPadVolume<V extends Volume>(
  volume: V,
  start: readonly number[],
  size: readonly number[],
  padValue = 0,
): V {
  return crop(volume, { start: [...start], end: start.map((s, a) => s + size[a]) }, { fill: padValue });
}

/** Options of `cropOrPad`: the output size and where the window sits. */
export interface CropOrPadOptions {
  /** Output size in voxels per axis; `null` keeps that axis (e.g. `[128, 128, null]` for in-plane only). */
  size: readonly (number | null)[];
  /** Window centre: the volume's centre (default) or the label's bounding-box centre (volume centre if empty). */
  around?: 'centre' | 'label';
  /** Image value for padded voxels (labels pad with 0); default 0. */
  padValue?: number;
}

/** What `cropOrPad` returns: the windowed image and label map and the window's start. */
export interface CropOrPadResult<I extends Volume, L extends Volume> {
  /** The image cut to the window, padded voxels set to `padValue`; affine moved with the window. */
  image: I;
  /** The label map cut with the same window, padded voxels set to 0. */
  label: L;
  /** Index in the input of the output's first voxel, per axis (negative = padded before). */
  start: number[];
}

/** Crops or pads an image and its label map with the same window. */
export function cropOrPad<I extends Volume, L extends Volume>(
  image: I,
  label: L,
  options: CropOrPadOptions,
): CropOrPadResult<I, L> {
  const size = image.shape.map((n, a) => options.size[a] ?? n);
  const volumeCentre = image.shape.map((n) => (n - 1) / 2);
  const centre = options.around === 'label' ? (labelBoundingBoxCentre(label) ?? volumeCentre) : volumeCentre;
  // Axes kept at full size keep their whole extent whatever the centre.
  const start = windowStart(image.shape, size, centre).map((s, a) => (options.size[a] == null ? 0 : s));
  return {
    image: cropOrPadVolume(image, start, size, options.padValue ?? 0),
    label: cropOrPadVolume(label, start, size, 0),
    start,
  };
}
