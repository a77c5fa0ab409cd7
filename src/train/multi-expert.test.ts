import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { twoExpertTraining, writeTwoExpertDataset } from '../../test/two-expert-dataset.ts';
import { readVolume } from '../io/read-volume.ts';
import { loadTrainedModel, predictVolume } from '../predict/predict.ts';
import { train } from './trainer.ts';

let root: string;
let data: string;
let model: string;

beforeAll(async () => {
  root = tempDir('multi-expert');
  data = join(root, 'data');
  model = join(root, 'model');
  writeTwoExpertDataset(data);
  // Two experts in one batch, conditional instance norm on a 2-level U-Net, the per-sample soft Dice loss.
  await train(twoExpertTraining(data, model, { features: [8, 16], iterations: 80, batchSize: 4, lr: 1e-2 }));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('multi-expert training with conditional instance norm', () => {
  it('records the expert slots and takes the expert index as a model input', async () => {
    const m = await loadTrainedModel(model, 1);
    expect(m.config.experts).toEqual(['tight', 'wide']);
    expect(m.config.modelOptions.experts).toBe(2);
    expect(m.session.inputNames).toContain('expert');
    await m.session.release();
  });

  it('the branches of experts who draw differently predict differently: wide ⊃ tight', async () => {
    const m = await loadTrainedModel(model, 1);
    const image = readVolume(join(data, 'images', 'case0.nii.gz'));
    const count = async (rater: string) =>
      Array.from((await predictVolume(m, image, { rater })).data as Uint8Array).reduce((a, v) => a + v, 0);
    const tight = await count('tight');
    const wide = await count('wide');
    await expect(predictVolume(m, image)).rejects.toThrow(
      /choose an expert branch with options.rater \(one of tight, wide\)/,
    );
    await m.session.release();
    // Truth: tight 5×5 = 25 pixels, wide 11×11 = 121 pixels.
    expect(tight).toBeGreaterThan(10);
    expect(tight).toBeLessThan(60);
    expect(wide).toBeGreaterThan(tight + 40);
  });
});
