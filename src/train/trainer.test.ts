import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataset } from '../../test/temp-dataset.ts';
import { writeTinyDataset } from '../../test/tiny-segmentation-dataset.ts';
import { readOnnxModel } from '../nn/onnx.ts';
import type { TrainOptions } from './train-config.ts';
import { train } from './trainer.ts';

const { root, data } = tempDataset('trainer', (d) => writeTinyDataset(d));

/** Small, fast settings: a 2-level U-Net on 24×24 patches. */
function options(out: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    data,
    labelSource: 'expert',
    out,
    modelOptions: { features: [4, 8] },
    iterations: 6,
    batchSize: 2,
    patchSize: [24, 24],
    validateEvery: 3,
    checkpointEvery: 2,
    threads: 1,
    ...extra,
  };
}

function weights(dir: string): Map<string, Float32Array> {
  const model = readOnnxModel(readFileSync(join(dir, 'checkpoint', 'iter-000006', 'model.onnx')), dir);
  return new Map(
    [...model.initializers].filter(([k]) => !k.startsWith('_')).map(([k, t]) => [k, t.data as Float32Array]),
  );
}

describe('train', () => {
  it('resuming an interrupted run reproduces the uninterrupted run: weights, log and selected model', async () => {
    const full = join(root, 'full');
    const resumed = join(root, 'resumed');
    await train(options(full));
    const first = await train(options(resumed, { stopAfter: 3 }));
    expect(first.interrupted).toBe(true);
    expect(existsSync(join(resumed, 'model.onnx'))).toBe(false);
    const second = await train(options(resumed, { resume: true }));
    expect(second.interrupted).toBe(false);
    expect(second.iterations).toBe(6);

    const a = weights(full);
    const b = weights(resumed);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(Array.from(b.get(k) as Float32Array), k).toEqual(Array.from(v));
    expect(readFileSync(join(resumed, 'train-log.jsonl'), 'utf8')).toBe(
      readFileSync(join(full, 'train-log.jsonl'), 'utf8'),
    );
    expect(readFileSync(join(resumed, 'model.onnx'))).toEqual(readFileSync(join(full, 'model.onnx')));
  });

  it('logs every step and validation and records the settings in config.json', async () => {
    const out = join(root, 'logged');
    const result = await train(options(out, { iterations: 4, selectBy: 'dice' }));
    const lines = readFileSync(join(out, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step').map((l) => l.iteration)).toEqual([0, 1, 2, 3]);
    expect(lines.filter((l) => l.type === 'validation').map((l) => l.iteration)).toEqual([3, 4]);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model: 'unet2d',
      classes: 3,
      labelSource: 'expert',
      selectBy: 'dice',
      patchSize: [24, 24],
    });
    expect(result.best?.iteration).toBeGreaterThan(0);
  });

  it('refuses to resume with different settings', async () => {
    const out = join(root, 'changed');
    await train(options(out, { stopAfter: 2 }));
    await expect(train(options(out, { resume: true, lr: 0.01 }))).rejects.toThrow(/different settings/);
  });
});
