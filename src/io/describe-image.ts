/**
 * What `multirater info` reports about an image file. Label maps (every value whole, after the same 1e-6
 * rounding as `readLabelMap`, and at most MAX_LISTED_LABELS distinct values) get a voxel count per label;
 * anything else (a CT, an MR image) gets percentiles instead of one count per distinct value.
 */
import { percentiles } from '../stats/index.ts';
import { labelCountsAtMost, roundLabelValues } from '../volume/index.ts';
import { isIntegerDType, type Affine, type VoxelArray } from '../volume/index.ts';
import { readNifti } from './read-nifti.ts';
import { readNrrd } from './read-nrrd.ts';
import { imageFormat, type ImageFormat } from './read-volume.ts';

/**
 * What {@link describeImage} reports of an image file (`multirater info`): format, grid, value type and range, and its
 * labels or value distribution.
 */
export interface ImageDescription {
  /** The path described, as given. */
  file: string;
  /** The file's format, from its extension. */
  format: ImageFormat;
  /** Extent per axis, in voxels. */
  shape: number[];
  /** mm per axis. */
  spacing: number[];
  /** dtype stored in the file. */
  datatype: string;
  /** True when scl_slope/scl_inter changed the values. */
  scaled: boolean;
  /** dtype of the values after scaling. */
  valueType: string;
  /** 4×4 voxel-to-world affine in mm, rows. */
  affine: Affine;
  /** Smallest (scaled) value. */
  min: number;
  /** Largest (scaled) value. */
  max: number;
  /** Sum of the (scaled) values. */
  sum: number;
  /** Voxel count per value for label maps (whole values, at most MAX_LISTED_LABELS distinct), else null. */
  labels: Record<string, number> | null;
  /** For images that are not label maps (`labels` null): the mean and percentiles of the finite values. */
  distribution: ValueDistribution | null;
}

/** Largest number of distinct values `info` lists one by one. */
export const MAX_LISTED_LABELS = 256;

/** Percentiles (numpy's linear interpolation) and mean of an image's finite voxel values. */
export interface ValueDistribution {
  /** Arithmetic mean. */
  mean: number | null;
  /** 1st percentile. */
  p1: number | null;
  /** 5th percentile. */
  p5: number | null;
  /** 25th percentile (first quartile). */
  p25: number | null;
  /** 50th percentile (median). */
  p50: number | null;
  /** 75th percentile (third quartile). */
  p75: number | null;
  /** 95th percentile. */
  p95: number | null;
  /** 99th percentile. */
  p99: number | null;
}

const PERCENTILES = [1, 5, 25, 50, 75, 95, 99] as const;

/** Reads `file` (NIfTI or NRRD) and describes it; see the file comment. */
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
    ...valueFacts(volume.data, isIntegerDType(volume.dtype)),
  };
}

/** Label counts when the values are labels, else the distribution; may round float label values in place. */
function valueFacts(data: VoxelArray, integer: boolean): Pick<ImageDescription, 'labels' | 'distribution'> {
  const whole = integer || roundLabelValues(data) === null;
  const counts = whole ? labelCountsAtMost(data, MAX_LISTED_LABELS) : null;
  if (counts) return { labels: Object.fromEntries([...counts].map(([k, n]) => [String(k), n])), distribution: null };
  const ps = percentiles(
    data,
    PERCENTILES.map((p) => p / 100),
  );
  let sum = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) {
      sum += data[i];
      n++;
    }
  }
  const distribution = { mean: n === 0 ? null : sum / n } as ValueDistribution;
  PERCENTILES.forEach((p, i) => (distribution[`p${p}`] = ps[i]));
  return { labels: null, distribution };
}
