/**
 * The cases as the samplers see them: 3D voxel grids (a 2D image has nz = 1) plus an index of where each label
 * lies (nnU-Net's `class_locations`, here every voxel, sorted by linear index) and which slices hold any label,
 * built once so drawing a foreground-centred patch or a non-empty slice costs O(1).
 */
import { MultiraterError } from '../errors.ts';
import { formatShape } from '../volume/index.ts';
import type { PatchSource } from '../augment/index.ts';
import type { TrainingCase } from './training-cases.ts';

/** One case ready for sampling. */
export interface PoolCase extends PatchSource {
  /** The case id. */
  id: string;
  /** Non-zero labels present, ascending. */
  labels: number[];
  /** Linear voxel indices of each label in `labels` (same order), ascending. */
  locations: Int32Array[];
  /** 1 where slice k (third axis) holds a non-zero label. */
  sliceForeground: Uint8Array;
}

/** Indexes `cases` for sampling; the voxel arrays are shared, not copied. */
export function buildSamplingPool(cases: readonly TrainingCase[]): PoolCase[] {
  if (cases.length === 0) throw new MultiraterError('invalid_argument', 'no training cases to sample from');
  return cases.map(poolCase);
}

function poolCase(c: TrainingCase): PoolCase {
  if (
    c.image.shape.length > 3 ||
    c.image.shape.length !== c.label.shape.length ||
    c.image.data.length !== c.label.data.length
  ) {
    throw new MultiraterError(
      'dimension_mismatch',
      `case "${c.id}": image ${formatShape(c.image.shape)} and label ${formatShape(c.label.shape)} must be the same 1–3D grid`,
    );
  }
  const shape: [number, number, number] = [c.image.shape[0], c.image.shape[1] ?? 1, c.image.shape[2] ?? 1];
  const spacing: [number, number, number] = [c.image.spacing[0], c.image.spacing[1] ?? 1, c.image.spacing[2] ?? 1];
  const lab = c.label.data;
  const counts = new Int32Array(256);
  for (let i = 0; i < lab.length; i++) counts[lab[i]]++;
  const labels: number[] = [];
  for (let v = 1; v < 256; v++) if (counts[v] > 0) labels.push(v);
  const slot = new Int32Array(256).fill(-1);
  labels.forEach((v, s) => (slot[v] = s));
  const locations = labels.map((v) => new Int32Array(counts[v]));
  const fill = new Int32Array(labels.length);
  const sliceForeground = new Uint8Array(shape[2]);
  const perSlice = shape[0] * shape[1];
  for (let i = 0; i < lab.length; i++) {
    const s = slot[lab[i]];
    if (s < 0) continue;
    locations[s][fill[s]++] = i;
    sliceForeground[Math.floor(i / perSlice)] = 1;
  }
  return { id: c.id, image: c.image.data, label: lab, shape, spacing, labels, locations, sliceForeground };
}
