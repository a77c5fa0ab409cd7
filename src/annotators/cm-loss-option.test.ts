/**
 * The annotator trainer's `cmLoss` option (issue 28 §3): which trainer it selects, how it is validated, and that a
 * run records it in config.json and trains with its formula (the formulas themselves are pinned in
 * losses/annotator-cm-loss*.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataset } from '../../test/temp-dataset.ts';
import {
  TINY_ANNOTATORS,
  tinyAnnotatorTrainOptions,
  writeTinyAnnotatorDataset,
} from '../../test/tiny-annotator-dataset.ts';
import { loadDataset } from '../datasets/index.ts';
import { chooseTrainer } from './choose-trainer.ts';
import { resolveAnnotatorConfig, trainAnnotators, type AnnotatorTrainOptions } from './annotator-training.ts';

const { root, data } = tempDataset('cm-loss-option', (d) => writeTinyAnnotatorDataset(d));

const options = (out: string, extra: Partial<AnnotatorTrainOptions> = {}) =>
  tinyAnnotatorTrainOptions(data, out, { iterations: 3, batchSize: 2, ...extra });

describe('cmLoss option', () => {
  it('is an annotator-only option: several raters with it go to the annotator trainer, which refuses --loss', () => {
    expect(chooseTrainer({ raters: ['a', 'b'], cmLoss: 'published' })).toBe('annotators');
    expect(() => chooseTrainer({ raters: ['a', 'b'], cmLoss: 'published', loss: 'ce' })).toThrow(
      expect.objectContaining({ code: 'option_conflict' }),
    );
  });

  it('defaults to paper, refuses an unknown name and the mean-label method', () => {
    const loaded = loadDataset(data);
    const shape = [16, 16, 1];
    expect(resolveAnnotatorConfig(options(join(root, 'x')), loaded, shape).annotators.cmLoss).toBe('paper');
    expect(
      resolveAnnotatorConfig(options(join(root, 'x'), { cmLoss: 'published' }), loaded, shape).annotators.cmLoss,
    ).toBe('published');
    expect(() =>
      resolveAnnotatorConfig(options(join(root, 'x'), { cmLoss: 'torch' as 'paper' }), loaded, shape),
    ).toThrow(
      expect.objectContaining({
        code: 'unknown_name',
        message: 'train: options.cmLoss must be paper or published, got "torch"',
      }),
    );
    expect(() =>
      resolveAnnotatorConfig(
        options(join(root, 'x'), { method: 'mean-labels', model: 'unet2d', cmLoss: 'published' }),
        loaded,
        shape,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'option_conflict',
        message: 'train: options.cmLoss published needs method annotator-cm',
      }),
    );
  });

  it('is recorded in config.json, and the published formula trains on another loss from the same first batch', async () => {
    const firstLoss = (out: string): number =>
      JSON.parse(readFileSync(join(out, 'train-log.jsonl'), 'utf8').split('\n')[0]).loss;
    const paper = await trainAnnotators(options(join(root, 'paper')));
    const published = await trainAnnotators(options(join(root, 'published'), { cmLoss: 'published' }));
    expect(JSON.parse(readFileSync(join(paper.out, 'config.json'), 'utf8')).annotators.cmLoss).toBe('paper');
    expect(JSON.parse(readFileSync(join(published.out, 'config.json'), 'utf8')).annotators.cmLoss).toBe('published');
    // Same seed, so the same initial weights and first batch: the losses differ only by the formula. With 2 classes
    // each pixel's −log softmax(A·p)[y] lies in [log(1 + e⁻¹), log(1 + e)] ≈ [0.31, 1.31]; 3 annotators' sum at most 3.94
    // plus λ·tr ≤ 0.01·2·3.
    const a = firstLoss(paper.out);
    const b = firstLoss(published.out);
    expect(b).not.toBeCloseTo(a, 3);
    expect(b).toBeGreaterThan(TINY_ANNOTATORS.length * Math.log(1 + Math.exp(-1)));
    expect(b).toBeLessThan(TINY_ANNOTATORS.length * Math.log(1 + Math.E) + 0.01 * 2 * TINY_ANNOTATORS.length);
  });
});
