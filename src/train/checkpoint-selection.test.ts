/**
 * Checkpoint selection by validation loss (the noisy-ratio study's rule) on a tiny 3D HighRes3DNet run: every
 * validation loss is logged, and the model kept is the lowest-loss checkpoint even when that is not the last.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { writeTinyDataset } from '../../test/tiny-segmentation-dataset.ts';
import { train } from './trainer.ts';

let root: string;

beforeAll(() => {
  root = tempDir('checkpoint-selection');
  writeTinyDataset(join(root, 'data'), { shape: [12, 10, 4] });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('checkpoint selection by validation loss', () => {
  it('keeps the lowest-validation-loss weights of a 3D patch run whose last validation is worse', async () => {
    const out = join(root, 'model');
    // A learning rate far too high for Adam makes the validation loss rise again after its minimum.
    const result = await train({
      data: join(root, 'data'),
      labelSource: 'expert',
      out,
      model: 'highres3dnet',
      modelOptions: { blocksPerStage: 1 },
      loss: 'ce',
      iterations: 8,
      batchSize: 1,
      patchSize: [8, 8, 4],
      volumePadding: [2, 2, 0],
      lr: 0.05,
      schedule: 'constant',
      validateEvery: 1,
      checkpointEvery: 8,
      threads: 1,
    });
    const log = readFileSync(join(out, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const validations = log.filter((l) => l.type === 'validation');
    expect(validations.map((v) => v.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const lowest = validations.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(result.best?.iteration).toBe(lowest.iteration);
    expect(lowest.iteration).toBeLessThan(8);
    const kept = readFileSync(join(out, 'checkpoint', `best-${String(lowest.iteration).padStart(6, '0')}.onnx`));
    expect(readFileSync(join(out, 'model.onnx')).equals(kept)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).volumePadding).toEqual([2, 2, 0]);
  });
});
