/** What `multirater info` reports about an image file. */
import { labelCounts } from '../volume/labels.ts';
import { isIntegerDType, type Affine } from '../volume/volume.ts';
import { readNifti } from './read-nifti.ts';
import { readNrrd } from './read-nrrd.ts';
import { imageFormat, type ImageFormat } from './read-volume.ts';

export interface ImageDescription {
  file: string;
  format: ImageFormat;
  shape: number[];
  /** mm per axis. */
  spacing: number[];
  /** dtype stored in the file. */
  datatype: string;
  /** True when scl_slope/scl_inter changed the values. */
  scaled: boolean;
  /** dtype of the values after scaling. */
  valueType: string;
  affine: Affine;
  min: number;
  max: number;
  /** Sum of the (scaled) values. */
  sum: number;
  /** Voxel count per value, for integer-valued images only. */
  labels: Record<string, number> | null;
}

export function describeImage(file: string): ImageDescription {
  const format = imageFormat(file);
  const image = format === 'nifti' ? readNifti(file) : readNrrd(file);
  const volume = image.volume;
  const d = volume.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const datatype = 'fileDType' in image.header ? image.header.fileDType : image.header.type;
  return {
    file,
    format,
    shape: volume.shape,
    spacing: volume.spacing,
    datatype,
    scaled: datatype !== volume.dtype,
    valueType: volume.dtype,
    affine: volume.affine,
    min,
    max,
    sum,
    labels: isIntegerDType(volume.dtype) ? Object.fromEntries([...labelCounts(d)].map(([k, n]) => [String(k), n])) : null,
  };
}
