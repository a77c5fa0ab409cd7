/** Label sets and per-label masks of integer label maps. */
import type { Volume, VoxelArray } from './volume.ts';

/** Voxel count per distinct value, ascending by value. */
export function labelCounts(data: VoxelArray): Map<number, number> {
  const counts = new Map<number, number>();
  if (data instanceof Uint8Array) {
    const hist = new Float64Array(256);
    for (let i = 0; i < data.length; i++) hist[data[i]]++;
    for (let v = 0; v < 256; v++) if (hist[v] > 0) counts.set(v, hist[v]);
    return counts;
  }
  for (let i = 0; i < data.length; i++) counts.set(data[i], (counts.get(data[i]) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/** The sorted distinct non-zero labels of a label map. */
export function labelSet(volume: Pick<Volume, 'data'>): number[] {
  return [...labelCounts(volume.data).keys()].filter((v) => v !== 0);
}

/** A 0/1 mask of the voxels equal to `label`. */
export function labelMask(data: VoxelArray, label: number, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  for (let i = 0; i < data.length; i++) out[i] = data[i] === label ? 1 : 0;
  return out;
}
