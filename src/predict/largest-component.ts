/**
 * Largest-connected-component post-processing of a label map: for each non-zero label, keep only its largest
 * face-connected component (6-connectivity in 3D, 4 in 2D; `volume/connected-components.ts`) and set the other
 * components' voxels to background.
 */
import { largestComponent } from '../volume/index.ts';
import { labelMask, labelSet } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';

/** Keeps each label's largest face-connected component in `labels` (in place); returns the voxels removed. */
export function keepLargestComponents(labels: Volume<Uint8Array>): number {
  const data = labels.data;
  const mask = new Uint8Array(data.length);
  let removed = 0;
  for (const value of labelSet(labels)) {
    labelMask(data, value, mask);
    const keep = largestComponent(
      createVolume([...labels.shape], mask, { spacing: labels.spacing, affine: labels.affine }),
    ).data;
    for (let i = 0; i < data.length; i++) {
      if (data[i] === value && keep[i] === 0) {
        data[i] = 0;
        removed++;
      }
    }
  }
  return removed;
}
