import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnnotatorCms, readAnnotatorCmsRecord } from './annotator-cms.ts';
import { tempDataset } from '../../test/temp-dataset.ts';
import {
  TINY_ANNOTATORS,
  tinyAnnotatorTrainOptions,
  writeTinyAnnotatorDataset,
} from '../../test/tiny-annotator-dataset.ts';
import { writeTinyDataset } from '../../test/tiny-segmentation-dataset.ts';
import { loadDataset, saveDataset } from '../datasets/dataset.ts';
import { readNifti } from '../io/read-nifti.ts';
import { Session } from '../nn/session.ts';
import { ANNOTATOR_CMS_FILE } from './annotator-cms.ts';
import {
  ANNOTATORS_MODEL_FILE,
  LABEL_ASSIGNMENT_FILE,
  trainAnnotators,
  trueConfusionMatrices,
  type AnnotatorTrainOptions,
} from './annotator-training.ts';
import { keepOneLabelPerImage, loadMultiRaterCases } from '../data/multirater-cases.ts';
import { loadTrainedModel, predictVolume } from '../predict/predict.ts';

const { root, data } = tempDataset('annotators', (d) => writeTinyAnnotatorDataset(d));

const options = (out: string, extra: Partial<AnnotatorTrainOptions> = {}) =>
  tinyAnnotatorTrainOptions(data, out, extra);

describe('trainAnnotators', () => {
  it('learns that annotator 2 over-segments, and segments closer to the truth than a network trained on annotator 2 alone', async () => {
    const common = { iterations: 60, validateEvery: 60, lr: 0.02 };
    const ours = await trainAnnotators(options(join(root, 'ours'), common));
    const alone = await trainAnnotators(
      options(join(root, 'alone'), { ...common, method: 'mean-labels', raters: ['over'] }),
    );
    // P(over says 1 | truth 0): the 13×13 square drawn around the 5×5 truth; the dataset's value is 0.54.
    const over = ours.best?.confusionMatrices?.[1] as number[][];
    expect(over[1][0]).toBeGreaterThan(0.3);
    // Dice against the truth: a network on "over" alone learns the 13×13 square (Dice ≈ 2·25/(25 + 169) = 0.26).
    expect(alone.best?.meanDice).toBeLessThan(0.5);
    expect(ours.best?.meanDice).toBeGreaterThan((alone.best?.meanDice as number) + 0.25);
    expect(ours.best?.cmError).toBeLessThan(0.2);
  });

  it('--oracle with per-pixel matrices learns from the pixels where an annotator agrees with the truth: on "over" alone it segments the truth', async () => {
    const common = { iterations: 150, validateEvery: 150, lr: 0.02, raters: ['over'] };
    const out = join(root, 'pixel-oracle');
    const oracle = await trainAnnotators(options(out, { ...common, oracle: true }));
    const alone = await trainAnnotators(options(join(root, 'over-alone'), { ...common, method: 'mean-labels' }));
    // "over" draws 13×13 around the 5×5 truth; its true matrix at a ring pixel says "foreground whatever p_θ is", so
    // the ring adds nothing and p_θ learns the square's inside and the few background pixels beyond the ring (the
    // 13×13 square covers most of each 16×16 image) from the pixels "over" gets right (Dice 0.60 against 0.31).
    expect(alone.best?.meanDice).toBeLessThan(0.5);
    expect(oracle.best?.meanDice).toBeGreaterThan((alone.best?.meanDice as number) + 0.2);
    expect(oracle.best?.confusionMatrices).toBeNull();
    expect(oracle.config.annotators.oracle).toBe('pixel');
    expect(existsSync(join(out, ANNOTATORS_MODEL_FILE))).toBe(false);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
  });

  it('--oracle with per-pixel matrices refuses a training case without truth, naming the dataset and the case', async () => {
    const copy = join(root, 'no-truth');
    cpSync(data, copy, { recursive: true });
    const loaded = loadDataset(copy);
    const first = loaded.dataset.cases[0];
    saveDataset(copy, { ...loaded.dataset, cases: [{ ...first, truth: undefined }, ...loaded.dataset.cases.slice(1)] });
    await expect(trainAnnotators(options(join(root, 'no-truth-model'), { data: copy, oracle: true }))).rejects.toThrow(
      `${copy}: options.oracle with per-pixel matrices needs the truth of every training and validation case; case "${first.id}" has none`,
    );
  });

  it('--oracle with global matrices fixes them to the dataset’s true ones and exports model.onnx (segmentation alone) and annotators.onnx', async () => {
    const out = join(root, 'oracle');
    await trainAnnotators(options(out, { oracle: true, cm: 'global', iterations: 3 }));
    const loaded = loadDataset(data);
    const truth = trueConfusionMatrices(loaded, TINY_ANNOTATORS, 2) as number[][][];
    const written = readAnnotatorCmsRecord(out);
    TINY_ANNOTATORS.forEach((r, k) =>
      written.confusionMatrices![r]!.flat().forEach((v, e) => expect(v as number).toBeCloseTo(truth[k].flat()[e], 6)),
    );
    expect(written.cmError as number).toBeLessThan(1e-6);
    // The same file is what `multirater view --model DIR` shows.
    const shown = readAnnotatorCms(out);
    expect(shown.raters).toEqual(TINY_ANNOTATORS);
    TINY_ANNOTATORS.forEach((r, k) =>
      shown.matrices[r].flat().forEach((v: number, e: number) => expect(v).toBeCloseTo(truth[k].flat()[e], 6)),
    );
    // model.onnx predicts through the unchanged prediction path.
    const model = await loadTrainedModel(out, 1);
    const image = readNifti(join(data, 'images', 'case00.nii.gz')).volume;
    expect((await predictVolume(model, image)).shape).toEqual([16, 16, 1]);
    await model.session.release();
    const session = await Session.create(readFileSync(join(out, ANNOTATORS_MODEL_FILE)), { threads: 1 });
    const res = await session.run({ image: { dtype: 'float32', shape: [1, 1, 16, 16], data: new Float32Array(256) } });
    await session.release();
    expect(res.confusionMatrices.shape).toEqual([3, 2, 2]);
    expect(Array.from(res.confusionMatrices.data as Float32Array)[2]).toBeCloseTo(truth[0][1][0], 6);
    expect(res.probabilities.shape).toEqual([1, 2, 16, 16]);
  });

  it('--labels-per-image 1 keeps one annotator per training image, drawn and recorded deterministically under the seed', async () => {
    const cases = loadMultiRaterCases(loadDataset(data), { raters: TINY_ANNOTATORS, splits: ['train'] });
    const a = keepOneLabelPerImage(cases, TINY_ANNOTATORS, 7);
    expect(keepOneLabelPerImage(cases, TINY_ANNOTATORS, 7).assignment).toEqual(a.assignment);
    expect(keepOneLabelPerImage(cases, TINY_ANNOTATORS, 8).assignment).not.toEqual(a.assignment);
    a.cases.forEach((c) => {
      expect(c.raterLabels.filter((l) => l !== null)).toHaveLength(1);
      expect(c.raterLabels[TINY_ANNOTATORS.indexOf(a.assignment[c.id])]).not.toBeNull();
    });
    const out = join(root, 'one');
    const result = await trainAnnotators(options(out, { labelsPerImage: 1, seed: 7, iterations: 2 }));
    expect(result.assignment).toEqual(a.assignment);
    // The validation images keep one label each too, from their own stream (a user has no more where it validates).
    const val = keepOneLabelPerImage(
      loadMultiRaterCases(loadDataset(data), { raters: TINY_ANNOTATORS, splits: ['val'] }),
      TINY_ANNOTATORS,
      7,
      'labels-per-image:val',
    );
    expect(Object.keys(val.assignment)).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(out, LABEL_ASSIGNMENT_FILE), 'utf8'))).toEqual({
      schemaVersion: 1,
      seed: 7,
      assignment: a.assignment,
      validation: val.assignment,
    });
  });

  it('resumes from its checkpoint: stopped after 5 of 12 iterations and resumed, it writes the files of an uninterrupted run', async () => {
    const common = { iterations: 12, validateEvery: 4, checkpointEvery: 3 };
    const whole = join(root, 'whole');
    await trainAnnotators(options(whole, common));
    const parted = join(root, 'parted');
    const first = await trainAnnotators(options(parted, { ...common, stopAfter: 5 }));
    expect(first).toMatchObject({ iterations: 5, interrupted: true });
    expect(() => readFileSync(join(parted, 'model.onnx'))).toThrow();
    const second = await trainAnnotators(options(parted, { ...common, resume: true }));
    expect(second).toMatchObject({ iterations: 12, interrupted: false });
    for (const file of ['model.onnx', ANNOTATORS_MODEL_FILE, ANNOTATOR_CMS_FILE, 'train-log.jsonl']) {
      expect(readFileSync(join(parted, file)).equals(readFileSync(join(whole, file))), file).toBe(true);
    }
    // Other settings are refused rather than mixed into the checkpoint.
    await expect(trainAnnotators(options(parted, { ...common, lr: 0.5, resume: true }))).rejects.toThrow(
      'was written with different settings',
    );
  });

  it('annotator-cm3d takes training steps on 3D patches (unet3d, three classes)', async () => {
    const data3d = join(root, 'data3d');
    writeTinyDataset(data3d, { counts: { train: 2, val: 1, test: 0 } });
    const out = join(root, 'm3d');
    const result = await trainAnnotators({
      data: data3d,
      out,
      raters: ['expert'],
      model: 'annotator-cm3d',
      modelOptions: { features: [4, 8] },
      iterations: 2,
      batchSize: 2,
      patchSize: [8, 8, 2],
      threads: 1,
    });
    expect(result.finalTrainLoss).toBeGreaterThan(0);
    expect(Number.isFinite(result.finalTrainLoss)).toBe(true);
    expect(result.best?.confusionMatrices?.[0]).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      model: 'annotator-cm3d',
      dims: 3,
      annotators: { raters: ['expert'], cm: 'pixel' },
    });
  });
});
