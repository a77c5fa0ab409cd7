/**
 * Pictures of one slice of an image with its label map drawn over it (label outlines or translucent fill), and
 * montages of several such tiles — for looking at phantoms, predictions and raters. Rows of the picture follow the
 * volume's j axis downward and columns its i axis, as radiology viewers show a short-axis slice.
 */
import { MultiraterError } from '../errors.ts';
import type { RgbImage } from './write-png.ts';
import type { Volume } from '../volume/index.ts';

/** Overlay colours by label value (RGB); ACDC order: 1 RV blue, 2 MYO green, 3 LV red, then more. */
export const LABEL_COLOURS: readonly [number, number, number][] = [
  [0, 0, 0],
  [60, 140, 255],
  [40, 220, 90],
  [255, 70, 60],
  [255, 210, 40],
  [220, 80, 255],
  [40, 230, 230],
];

/** Names of `LABEL_COLOURS`, for legends and captions. */
export const LABEL_COLOUR_NAMES: readonly string[] = ['black', 'blue', 'green', 'red', 'yellow', 'magenta', 'cyan'];

/** Options of {@link sliceOverlay}: which slice and frame, how the labels are drawn. */
export interface SliceOverlayOptions {
  /** Slice index along the third axis; default the middle slice. */
  slice?: number;
  /** Frame index along the fourth axis; default 0. */
  frame?: number;
  /** Grey window [low, high] in image units; default the 1st–99.5th percentile of the slice. */
  window?: [number, number];
  /** 'outline' draws label borders, 'fill' tints labelled pixels; default 'outline'. */
  mode?: 'outline' | 'fill';
  /** Opacity of the fill (0–1); default 0.4. */
  alpha?: number;
  /** Integer magnification (pixels per voxel); default 3. */
  zoom?: number;
}

/** An RGB tile of `image` at one slice/frame with `labels` (same grid, or null for the image alone). */
export function sliceOverlay(image: Volume, labels: Volume | null, options: SliceOverlayOptions = {}): RgbImage {
  const [nx, ny, nz = 1, nt = 1] = image.shape;
  const k = options.slice ?? Math.floor(nz / 2);
  const t = options.frame ?? 0;
  if (k < 0 || k >= nz || t < 0 || t >= nt) {
    throw new MultiraterError(
      'invalid_argument',
      `slice overlay: slice ${k}, frame ${t} outside shape ${image.shape.join('×')}`,
    );
  }
  const zoom = options.zoom ?? 3;
  const alpha = options.alpha ?? 0.4;
  const mode = options.mode ?? 'outline';
  const off = nx * ny * (k + nz * t);
  const labelOff = labels ? (labels.shape.length === 4 ? off : nx * ny * k) : 0;
  const grey = new Float64Array(nx * ny);
  for (let v = 0; v < nx * ny; v++) grey[v] = Number(image.data[off + v]);
  const [lo, hi] = options.window ?? percentileWindow(grey);
  const width = nx * zoom;
  const height = ny * zoom;
  const data = new Uint8Array(width * height * 3);
  const label = (i: number, j: number): number =>
    labels && i >= 0 && j >= 0 && i < nx && j < ny ? Number(labels.data[labelOff + i + nx * j]) : 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const g = Math.max(0, Math.min(255, Math.round((255 * (grey[i + nx * j] - lo)) / Math.max(hi - lo, 1e-12))));
      const l = label(i, j);
      for (let dj = 0; dj < zoom; dj++) {
        for (let di = 0; di < zoom; di++) {
          const o = 3 * (i * zoom + di + width * (j * zoom + dj));
          let rgb: [number, number, number] = [g, g, g];
          if (l > 0) {
            const c = LABEL_COLOURS[l % LABEL_COLOURS.length];
            if (mode === 'fill') {
              rgb = [g * (1 - alpha) + c[0] * alpha, g * (1 - alpha) + c[1] * alpha, g * (1 - alpha) + c[2] * alpha];
            } else if (onBorder(label, l, i, j, di, dj, zoom)) {
              rgb = c;
            }
          }
          data[o] = rgb[0];
          data[o + 1] = rgb[1];
          data[o + 2] = rgb[2];
        }
      }
    }
  }
  return { width, height, data };
}

/** True for the sub-pixel on the edge of voxel (i, j) that faces a voxel of another label. */
function onBorder(
  label: (i: number, j: number) => number,
  l: number,
  i: number,
  j: number,
  di: number,
  dj: number,
  zoom: number,
): boolean {
  return (
    (di === 0 && label(i - 1, j) !== l) ||
    (di === zoom - 1 && label(i + 1, j) !== l) ||
    (dj === 0 && label(i, j - 1) !== l) ||
    (dj === zoom - 1 && label(i, j + 1) !== l)
  );
}

function percentileWindow(values: Float64Array): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return [at(0.01), at(0.995)];
}

/** Tiles laid out left to right in rows of `columns`, separated by `gap` black pixels. */
export function montage(tiles: readonly RgbImage[], columns: number, gap = 2): RgbImage {
  if (tiles.length === 0) throw new MultiraterError('invalid_argument', 'montage: no tiles');
  const tw = Math.max(...tiles.map((t) => t.width));
  const th = Math.max(...tiles.map((t) => t.height));
  const cols = Math.min(columns, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const width = cols * tw + (cols - 1) * gap;
  const height = rows * th + (rows - 1) * gap;
  const data = new Uint8Array(width * height * 3);
  tiles.forEach((tile, n) => {
    const x0 = (n % cols) * (tw + gap);
    const y0 = Math.floor(n / cols) * (th + gap);
    for (let y = 0; y < tile.height; y++) {
      data.set(tile.data.subarray(3 * y * tile.width, 3 * (y + 1) * tile.width), 3 * (x0 + width * (y0 + y)));
    }
  });
  return { width, height, data };
}
