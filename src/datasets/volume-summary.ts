/**
 * What `checkDataset` keeps of a file after reading it once: its grid and, for label maps, whether every voxel
 * is a whole non-negative number and the label values present in each time frame. The voxels are dropped, so
 * checking a dataset holds one volume in memory at a time.
 */
import { isMultiraterError, MultiraterError } from '../errors.ts';
import { readVolume } from '../io/index.ts';
import { labelCounts, roundLabelValues } from '../volume/index.ts';
import { isIntegerDType, type Volume } from '../volume/index.ts';

/** What {@link summariseVolume} reads of an image or label map: its grid and, for label maps, the label-value facts. */
export interface VolumeSummary {
  /** Extent per axis, in voxels. */
  shape: number[];
  /** Voxel size per axis, in mm. */
  spacing: number[];
  /** 4×4 voxel-to-world affine in mm, rows. */
  affine: number[][];
  /** Number of axes once trailing axes of extent 1 are dropped. */
  dims: number;
  /** Label maps only: the first voxel value that is not a whole number ≥ 0 (within 1e-6, as readLabelMap), or null when all are. */
  badValue: number | null;
  /** Label maps only: the sorted distinct values of each time frame (one entry for a 2D/3D map). */
  frameValues: number[][];
}

/** Reads `path` (NIfTI/NRRD, up to 4D) and summarises it; `asLabels` adds the label-value facts. */
export function summariseVolume(path: string, asLabels: boolean): VolumeSummary | MultiraterError {
  let volume: Volume;
  try {
    volume = readVolume(path, { maxDims: 4 });
  } catch (e) {
    if (isMultiraterError(e)) return e;
    throw e;
  }
  let dims = volume.shape.length;
  while (dims > 1 && volume.shape[dims - 1] === 1) dims--;
  const summary: VolumeSummary = {
    shape: volume.shape,
    spacing: volume.spacing,
    affine: volume.affine,
    dims,
    badValue: null,
    frameValues: [],
  };
  if (!asLabels) return summary;
  // The same rounding as readLabelMap, so a map the checker passes is one the readers accept.
  if (!isIntegerDType(volume.dtype)) summary.badValue = roundLabelValues(volume.data);
  const frames = volume.shape.length === 4 ? volume.shape[3] : 1;
  const perFrame = volume.data.length / frames;
  for (let t = 0; t < frames; t++) {
    summary.frameValues.push([...labelCounts(volume.data.subarray(t * perFrame, (t + 1) * perFrame)).keys()]);
  }
  return summary;
}
