/** `overlayFigure` from files: reads the image and label maps, writes the figure as a PNG (temporary file, then rename). */
import { MultiraterError } from '../errors.ts';
import { assertOutputsDistinct } from '../io/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { writePng } from './write-png.ts';
import { assertSameGrid } from '../volume/index.ts';
import type { Volume } from '../volume/index.ts';
import { overlayFigure, type OverlayFigureOptions } from './overlay-figure.ts';

/**
 * Options of {@link writeOverlayFigure} (`multirater overlay`): the files to read and write, and the figure's options.
 */
export interface WriteOverlayFigureOptions extends OverlayFigureOptions {
  /** Image file (.nii, .nii.gz, .nrrd, .nhdr), 2D–4D. */
  image: string;
  /** Label-map files on the image's grid, one column each. */
  labels: string[];
  /** Output PNG path (must end in .png and differ from every input). */
  out: string;
}

/** What {@link writeOverlayFigure} wrote (the JSON of `multirater overlay --json`, less the schema version). */
export interface WriteOverlayFigureResult {
  /** The PNG written. */
  out: string;
  /** Picture size, pixels. */
  width: number;
  /** Picture height, pixels. */
  height: number;
  /** Slices drawn, one row each, top to bottom. */
  slices: number[];
  /** What each column shows: 'image', then the label-map paths. */
  columns: string[];
}

/** The first three axes' geometry (a 4D cine and its 3D label maps share it). */
function spatialGrid(v: Volume): Pick<Volume, 'shape' | 'spacing' | 'affine'> {
  return { shape: v.shape.slice(0, 3), spacing: v.spacing.slice(0, 3), affine: v.affine };
}

/** Writes the overlay figure of `options.image` with `options.labels` to `options.out`. */
export function writeOverlayFigure(options: WriteOverlayFigureOptions): WriteOverlayFigureResult {
  assertOutputsDistinct([['options.out', options.out]], [options.image, ...options.labels]);
  if (!options.out.toLowerCase().endsWith('.png')) {
    throw new MultiraterError(
      'unsupported_format',
      `${options.out}: overlay figures are PNG files; give an options.out ending in .png`,
    );
  }
  const image = readVolume(options.image);
  const labels = options.labels.map((path) => {
    const map = readLabelMap(path, { maxDims: 4 });
    assertSameGrid(spatialGrid(map), path, spatialGrid(image), options.image);
    return map;
  });
  const figure = overlayFigure(image, labels, options);
  writePng(options.out, figure.picture);
  return {
    out: options.out,
    width: figure.picture.width,
    height: figure.picture.height,
    slices: figure.slices,
    columns: ['image', ...options.labels],
  };
}
