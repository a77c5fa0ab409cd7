import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { twoExpertTraining, writeTwoExpertDataset } from '../../test/two-expert-dataset.ts';
import { readOnnxModel } from '../nn/onnx.ts';
import { finetune, type FinetuneOptions } from './finetune.ts';
import { train } from './trainer.ts';

let root: string;
let data: string;
let base: string;

function weights(dir: string): Map<string, Float32Array> {
  const { initializers } = readOnnxModel(readFileSync(join(dir, 'model.onnx')));
  return new Map([...initializers].filter(([k]) => !k.startsWith('_')).map(([k, t]) => [k, t.data as Float32Array]));
}

beforeAll(async () => {
  root = tempDir('finetune');
  data = join(root, 'data');
  base = join(root, 'base');
  writeTwoExpertDataset(data, 5);
  await train(twoExpertTraining(data, base, { features: [4, 8], iterations: 4, batchSize: 2 }));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const options = (out: string, extra: Partial<FinetuneOptions> = {}): FinetuneOptions => ({
  model: base,
  data,
  rater: 'mid',
  samples: 2,
  way: 4,
  ways: 5,
  out,
  iterations: 3,
  lr: 1e-2,
  threads: 1,
  ...extra,
});

describe('finetune to a new expert', () => {
  it('expert-only: every shared weight is bit-identical, only the new slot’s γ, β move; the way’s images are used', async () => {
    const out = join(root, 'expert-only');
    const result = await finetune(options(out, { mode: 'expert-only' }));
    // 5 images, 5 ways: way 4 starts at image 4 and wraps: images 4, 0.
    expect(result.finetune.images).toEqual([4, 0]);
    expect(result.finetune.caseIds).toEqual(['case4', 'case0']);
    expect(result.config.experts).toEqual(['tight', 'wide', 'mid']);
    const before = weights(base);
    const after = weights(out);
    let tables = 0;
    for (const [name, w] of after) {
      const old = before.get(name) as Float32Array;
      if (w.length === old.length) {
        expect(
          Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(
            Buffer.from(old.buffer, old.byteOffset, old.byteLength),
          ),
          name,
        ).toBe(true);
        continue;
      }
      // A conditional instance norm table [3, C]: rows of tight and wide unchanged, row of mid trained from (1, 0).
      tables++;
      const c = old.length / 2;
      expect([...w.subarray(0, 2 * c)], name).toEqual([...old]);
      const identity = name.endsWith('.weight') ? 1 : 0;
      expect(
        [...w.subarray(2 * c)].some((v) => v !== identity),
        name,
      ).toBe(true);
    }
    expect(tables).toBe(2 * 6); // 6 conv → cin layers (2 encoder levels × 2 + 1 decoder level × 2), γ and β each
    expect(result.finetune.frozen).toBe(after.size - tables);
  });

  it('full: shared weights train too', async () => {
    const out = join(root, 'full');
    await finetune(options(out, { mode: 'full', init: 'copy:wide' }));
    const before = weights(base);
    const after = weights(out);
    expect([...(after.get('head.weight') as Float32Array)]).not.toEqual([
      ...(before.get('head.weight') as Float32Array),
    ]);
  });

  it('rejects an existing expert and an unknown copy source', async () => {
    await expect(finetune(options(join(root, 'x'), { rater: 'wide' }))).rejects.toThrow(
      /"wide" already has an expert slot/,
    );
    await expect(finetune(options(join(root, 'y'), { init: 'copy:nobody' }))).rejects.toThrow(
      /options.init must be "identity" or "copy:EXP"/,
    );
  });
});
