/** Adds to a dataset a rater who copies `from` but leaves the last slice of every case unlabelled. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath, saveDataset } from '../src/datasets/dataset.ts';
import { readLabelMap } from '../src/io/read-volume.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { createVolume } from '../src/volume/volume.ts';

export function addSliceSkippingRater(dir: string, from: string, name: string): void {
  const { dataset, root } = loadDataset(dir);
  mkdirSync(join(root, 'raters', name), { recursive: true });
  for (const c of dataset.cases) {
    const v = readLabelMap(resolveCasePath(root, c.raters[from]), { maxDims: 3 });
    const per = v.shape[0] * v.shape[1];
    const labels = Uint8Array.from(v.data);
    labels.fill(0, labels.length - per);
    const path = `raters/${name}/${c.id}.nii.gz`;
    writeNifti(join(root, path), createVolume([...v.shape], labels, { spacing: v.spacing, affine: v.affine }));
    c.raters[name] = path;
  }
  saveDataset(root, { ...dataset, raters: [...dataset.raters, name] });
}
