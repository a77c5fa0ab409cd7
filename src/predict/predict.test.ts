import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { writeTinyDataset } from '../../test/tiny-segmentation-dataset.ts';
import { readNifti } from '../io/read-nifti.ts';
import { createVolume } from '../volume/volume.ts';
import { keepLargestComponents } from './largest-component.ts';
import { loadTrainedModel, predictDataset, predictVolume } from './predict.ts';
import { gaussianImportance, windowStarts } from './sliding-window.ts';
import { train } from '../train/trainer.ts';

let root: string;
let data: string;
// An oblique affine with anisotropic spacing, so a prediction that dropped it would be caught.
const AFFINE = [
  [0, -1.25, 0, 30],
  [1.25, 0, 0, -12],
  [0, 0, 3.5, 7],
  [0, 0, 0, 1],
];

beforeAll(async () => {
  root = tempDir('predict');
  data = join(root, 'data');
  writeTinyDataset(data, { shape: [21, 19, 3], affine: AFFINE, counts: { train: 2, val: 0, test: 2 } });
  const common = {
    data,
    labelSource: 'expert',
    modelOptions: { features: [4, 8] },
    iterations: 2,
    batchSize: 2,
    threads: 1,
  };
  await train({ ...common, out: join(root, 'm2d'), patchSize: [16, 16] });
  await train({ ...common, out: join(root, 'm3d'), model: 'unet3d', patchSize: [12, 12, 2] });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('predict', () => {
  for (const model of ['m2d', 'm3d']) {
    it(`${model}: writes one label map per test case on the image's grid (shape, spacing, affine)`, async () => {
      const out = join(root, `pred-${model}`);
      await predictDataset({ model: join(root, model), data, split: 'test', out, tta: true, threads: 1 });
      expect(readdirSync(out).sort()).toEqual(['case02.nii.gz', 'case03.nii.gz']);
      for (const id of ['case02', 'case03']) {
        const pred = readNifti(join(out, `${id}.nii.gz`)).volume;
        const image = readNifti(join(data, 'images', `${id}.nii.gz`)).volume;
        expect(pred.shape).toEqual(image.shape);
        expect(pred.affine.flat().map((v) => Number(v.toFixed(4)))).toEqual(
          image.affine.flat().map((v) => Number(v.toFixed(4))),
        );
        expect(pred.spacing.map((v) => Number(v.toFixed(4)))).toEqual(image.spacing.map((v) => Number(v.toFixed(4))));
        expect(Math.max(...pred.data)).toBeLessThanOrEqual(2);
      }
    });
  }

  it('probabilities sum to 1 at every voxel and carry the classes on a fourth axis', async () => {
    const model = await loadTrainedModel(join(root, 'm2d'), 1);
    const image = readNifti(join(data, 'images', 'case02.nii.gz')).volume;
    const probs = await predictVolume(model, image, { output: 'probabilities' });
    await model.session.release();
    expect(probs.shape).toEqual([...image.shape, 3]);
    const voxels = probs.data.length / 3;
    for (let v = 0; v < voxels; v += 37)
      expect(probs.data[v] + probs.data[voxels + v] + probs.data[2 * voxels + v]).toBeCloseTo(1, 5);
  });
});

describe('sliding window', () => {
  it('covers an axis from first to last voxel with half-patch steps, or centres one padded window', () => {
    expect(windowStarts(20, 8)).toEqual([0, 4, 8, 12]);
    expect(windowStarts(21, 8)).toEqual([0, 3, 7, 10, 13]);
    expect(windowStarts(5, 8)).toEqual([-2]);
  });

  it('Gaussian importance peaks at 1 in the centre and is positive everywhere', () => {
    const w = gaussianImportance([5, 3, 1]);
    expect(w[1 * 5 + 2]).toBe(1);
    expect(Math.min(...w)).toBeGreaterThan(0);
    expect(w[0]).toBeLessThan(w[1]);
  });
});

describe('largest connected component', () => {
  it("keeps each label's largest face-connected piece (diagonal contact does not connect)", () => {
    // 4×3 slice: label 1 at (0,0),(1,0) and a diagonal-only neighbour (2,1); label 2 at (3,2) and (0,2),(1,2).
    const data = Uint8Array.from([1, 1, 0, 0, 0, 0, 1, 0, 2, 2, 0, 2]);
    const v = createVolume([4, 3, 1], data);
    expect(keepLargestComponents(v)).toBe(2);
    expect(Array.from(v.data)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0]);
  });
});
