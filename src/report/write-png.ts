/**
 * PNG output of 8-bit RGB pictures (slice overlays, montages, figures), encoded by `fast-png` and written atomically.
 * In report/, not io/: reading a label map must not load a PNG encoder.
 */
import { encode } from 'fast-png';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';

/** An 8-bit RGB picture, rows top to bottom, pixels left to right, 3 bytes per pixel. */
export interface RgbImage {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** width × height × 3 bytes. */
  data: Uint8Array;
}

/** PNG bytes of `image`. */
export function encodePng(image: RgbImage): Uint8Array {
  if (image.data.length !== image.width * image.height * 3) {
    throw new MultiraterError(
      'size_mismatch',
      `PNG: ${image.data.length} bytes for a ${image.width}×${image.height} RGB picture (expected ${image.width * image.height * 3})`,
    );
  }
  return encode({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}

/** Writes `image` as a PNG file at `path` (temporary file, then rename). */
export function writePng(path: string, image: RgbImage): void {
  writeFileAtomic(path, encodePng(image));
}
