/** Label maps of known volumes for the clinical-index tests: how many voxels of each label, not where. */
import { createVolume, type Volume } from '../src/volume/volume.ts';

/** A label map on `shape` holding `counts[label]` voxels of each label, laid out one after another in voxel order. */
export function mapWithCounts(shape: number[], spacing: number[], counts: Record<number, number>): Volume<Uint8Array> {
  const data = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  let at = 0;
  for (const [label, n] of Object.entries(counts)) for (let i = 0; i < n; i++) data[at++] = Number(label);
  return createVolume(shape, data, { spacing });
}
