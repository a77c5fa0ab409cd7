/**
 * A tiny cine dataset with known motion for registration tests: one subject, 24×24×2 voxels (1.4 × 1.4 × 6 mm, a
 * rotated affine), 4 frames; a disc of radius 6 pixels shifting one pixel along i per frame. The ED (frame 0) and ES
 * (frame 2) cases have the image, an `expert` label map equal to the truth, `meta.cine` and `meta.cineTruth`.
 */
import { join } from 'node:path';
import { saveDataset, type Dataset } from '../src/datasets/dataset.ts';
import { writeNifti } from '../src/io/write-nifti.ts';
import { createVolume, type Affine } from '../src/volume/volume.ts';

/** In-plane size (pixels) of the tiny cine. */
export const TINY_CINE_SIZE = 24;
export const TINY_CINE_SLICES = 2;
export const TINY_CINE_FRAMES = 4;
export const TINY_CINE_AFFINE: Affine = [
  [0, -1.4, 0, 20],
  [1.4, 0, 0, -12],
  [0, 0, 6, 3],
  [0, 0, 0, 1],
];

/** Writes the dataset into `dir`. Frame t: a disc of radius 6 centred at (10 + t, 12), label 1, intensity a smooth bump. */
export function writeTinyCine(dir: string): void {
  const image = new Float32Array(TINY_CINE_SIZE * TINY_CINE_SIZE * TINY_CINE_SLICES * TINY_CINE_FRAMES);
  const truth = new Uint8Array(image.length);
  for (let t = 0; t < TINY_CINE_FRAMES; t++) {
    for (let k = 0; k < TINY_CINE_SLICES; k++) {
      for (let j = 0; j < TINY_CINE_SIZE; j++) {
        for (let i = 0; i < TINY_CINE_SIZE; i++) {
          const r = Math.hypot(i - 10 - t, j - 12);
          const p = ((t * TINY_CINE_SLICES + k) * TINY_CINE_SIZE + j) * TINY_CINE_SIZE + i;
          image[p] = 100 / (1 + Math.exp((r - 6) / 1.2));
          truth[p] = r < 6 ? 1 : 0;
        }
      }
    }
  }
  const geometry = { spacing: [1.4, 1.4, 6, 1], affine: TINY_CINE_AFFINE };
  const geometry3 = { spacing: [1.4, 1.4, 6], affine: TINY_CINE_AFFINE };
  writeNifti(
    join(dir, 'cine.nii.gz'),
    createVolume([TINY_CINE_SIZE, TINY_CINE_SIZE, TINY_CINE_SLICES, TINY_CINE_FRAMES], image, geometry),
  );
  writeNifti(
    join(dir, 'cine_truth.nii.gz'),
    createVolume([TINY_CINE_SIZE, TINY_CINE_SIZE, TINY_CINE_SLICES, TINY_CINE_FRAMES], truth, geometry),
  );
  const per = TINY_CINE_SIZE * TINY_CINE_SIZE * TINY_CINE_SLICES;
  const cases: Dataset['cases'] = (['ED', 'ES'] as const).map((frame) => {
    const t = frame === 'ED' ? 0 : 2;
    const id = frame.toLowerCase();
    writeNifti(
      join(dir, `${id}.nii.gz`),
      createVolume([TINY_CINE_SIZE, TINY_CINE_SIZE, TINY_CINE_SLICES], image.slice(t * per, (t + 1) * per), geometry3),
    );
    writeNifti(
      join(dir, `${id}_expert.nii.gz`),
      createVolume([TINY_CINE_SIZE, TINY_CINE_SIZE, TINY_CINE_SLICES], truth.slice(t * per, (t + 1) * per), geometry3),
    );
    return {
      id: `s1_${frame}`,
      image: `${id}.nii.gz`,
      raters: { expert: `${id}_expert.nii.gz` },
      meta: {
        subject: 's1',
        frame,
        frameIndex: t,
        cine: 'cine.nii.gz',
        cineTruth: 'cine_truth.nii.gz',
        split: 'train',
      },
    };
  });
  const dataset: Dataset = { name: 'tiny-cine', labels: { '1': 'LV' }, raters: ['expert'], cases };
  saveDataset(dir, dataset);
}
