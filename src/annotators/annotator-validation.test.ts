import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataset } from '../../test/temp-dataset.ts';
import {
  TINY_ANNOTATORS,
  tinyAnnotatorTrainOptions,
  writeTinyAnnotatorDataset,
} from '../../test/tiny-annotator-dataset.ts';
import { loadDataset, saveDataset } from '../datasets/dataset.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { Rng } from '../random/rng.ts';
import { createVolume } from '../volume/volume.ts';
import { ANNOTATORS_MODEL_FILE, trainAnnotators, type AnnotatorTrainOptions } from './annotator-training.ts';

const { root, data } = tempDataset('annotator-selection', (d) => {
  writeTinyAnnotatorDataset(d);
  writeGarbageTruth();
  writeNoTruth();
});
/** The same dataset with every truth file replaced by random labels. */
const garbage = join(root, 'garbage');
/** The same dataset without any truth (no truth entries, no true matrices). */
const noTruth = join(root, 'no-truth');

function writeGarbageTruth(): void {
  cpSync(data, garbage, { recursive: true });
  const rng = new Rng(3);
  for (const c of loadDataset(garbage).dataset.cases) {
    writeNifti(
      join(garbage, c.truth!),
      createVolume(
        [16, 16, 1],
        Uint8Array.from({ length: 256 }, () => rng.int(2)),
        { spacing: [1, 1, 1] },
      ),
    );
  }
}

function writeNoTruth(): void {
  cpSync(data, noTruth, { recursive: true });
  const loaded = loadDataset(noTruth);
  rmSync(join(noTruth, 'truth'), { recursive: true });
  saveDataset(noTruth, {
    ...loaded.dataset,
    confusionMatrices: undefined,
    cases: loaded.dataset.cases.map((c) => ({ ...c, truth: undefined })),
  });
}

/** 12 iterations validated every 2: enough validations for the selection to matter. */
const options = (dataset: string, out: string, extra: Partial<AnnotatorTrainOptions> = {}) =>
  tinyAnnotatorTrainOptions(dataset, join(root, out), { iterations: 12, validateEvery: 2, lr: 0.02, ...extra });

const bytes = (dir: string, file = 'model.onnx') => readFileSync(join(root, dir, file));

interface LoggedValidation {
  type: string;
  iteration: number;
  loss: number;
  majorityDice: number;
  improved?: boolean;
}
/** The run's validations from its log, without the `improved` flag (which depends on the selection). */
const validations = (dir: string): LoggedValidation[] =>
  readFileSync(join(root, dir, 'train-log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LoggedValidation)
    .filter((l) => l.type === 'validation')
    .map(({ improved: _improved, ...v }) => v);

describe('annotator model selection', () => {
  it('never reads the truth: with the truth replaced by random labels, or absent, every learned arm keeps the identical weights', async () => {
    const arms: [string, Partial<AnnotatorTrainOptions>][] = [
      ['ours-loss', {}],
      ['ours-dice', { selectBy: 'dice' }],
      ['ours-global', { cm: 'global' }],
      ['mean-labels', { method: 'mean-labels', model: 'unet2d' }],
    ];
    const keptIterations: number[] = [];
    for (const [name, extra] of arms) {
      const kept = await trainAnnotators(options(data, `${name}-truth`, extra));
      const withGarbage = await trainAnnotators(options(garbage, `${name}-garbage`, extra));
      const without = await trainAnnotators(options(noTruth, `${name}-none`, extra));
      expect(bytes(`${name}-garbage`).equals(bytes(`${name}-truth`)), name).toBe(true);
      expect(bytes(`${name}-none`).equals(bytes(`${name}-truth`)), name).toBe(true);
      if (extra.method === undefined)
        expect(
          bytes(`${name}-none`, ANNOTATORS_MODEL_FILE).equals(bytes(`${name}-truth`, ANNOTATORS_MODEL_FILE)),
          name,
        ).toBe(true);
      expect(withGarbage.best?.iteration).toBe(kept.best?.iteration);
      keptIterations.push(kept.best?.iteration ?? -1);
      // The truth is read for the report only: the reported Dice follows it (random labels: about 0.1).
      expect(kept.best?.reference).toBe('truth');
      expect(withGarbage.best?.meanDice).toBeLessThan(0.3);
      expect(kept.best?.meanDice).toBeGreaterThan(0.3);
      // Without truth, the report is against the majority vote, and the run still selects.
      expect(without.best).toMatchObject({
        reference: 'majority',
        meanDice: without.best?.majorityDice,
        cmError: null,
        iteration: kept.best?.iteration,
      });
    }
    // Selection chose other than the last weights somewhere (by Dice, here), where a Dice against the random
    // labels would have chosen otherwise.
    expect(keptIterations.some((i) => i < 12)).toBe(true);
  });

  it("--select-by loss keeps the lowest validation loss on the raters' labels and dice the best Dice against their majority: different weights here", async () => {
    const byLoss = await trainAnnotators(options(data, 'by-loss', { selectBy: 'loss' }));
    const byDice = await trainAnnotators(options(data, 'by-dice', { selectBy: 'dice' }));
    const logged = validations('by-loss');
    expect(validations('by-dice')).toEqual(logged);
    const lowest = logged.reduce((a, b) => (b.loss < a.loss ? b : a));
    const best = logged.reduce((a, b) => (b.majorityDice > a.majorityDice ? b : a));
    expect(byLoss.best?.iteration).toBe(lowest.iteration);
    expect(byDice.best?.iteration).toBe(best.iteration);
    expect(byLoss.best?.iteration).not.toBe(byDice.best?.iteration);
    expect(bytes('by-loss').equals(bytes('by-dice'))).toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'by-dice', 'config.json'), 'utf8')).selectBy).toBe('dice');
  });
});
