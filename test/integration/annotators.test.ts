/** `multirater train --raters … --model annotator-cm`, `predict --cm-out --cm-maps`, `eval --cms` end to end on a tiny dataset (few iterations; checks files and shapes, not accuracy). */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../src/io/read-nifti.ts';
import { argv, runCli } from '../cli.ts';
import { quickTrainArgs } from '../quick-train.ts';
import { tempDataset } from '../temp-dataset.ts';
import { writeTinyAnnotatorDataset } from '../tiny-annotator-dataset.ts';

const run = runCli;

const { root, data } = tempDataset('annotators-cli', (d) => writeTinyAnnotatorDataset(d, { train: 4, val: 2 }));

/** A quick `multirater train` into `root/name` with `flags`, as JSON, that must succeed: the model folder and the run. */
function quickTrain(name: string, flags: string) {
  const model = join(root, name);
  const t = run(...quickTrainArgs(data, model, flags), '--json');
  expect(t.code, t.stderr).toBe(0);
  return { model, t };
}

describe('multirater train --raters / predict --cm-out / eval --cms', () => {
  it('trains annotator-cm, writes per-case matrices and maps, and scores them against the dataset’s', () => {
    const { model, t } = quickTrain(
      'model',
      '--raters good,over,fair --model annotator-cm --trace-weight 0.01 --labels-per-image 1 --iterations 3',
    );
    expect(JSON.parse(t.stdout)).toMatchObject({
      schemaVersion: 1,
      model: 'annotator-cm',
      method: 'annotator-cm',
      raters: ['good', 'over', 'fair'],
      iterations: 3,
    });
    for (const f of [
      'model.onnx',
      'annotators.onnx',
      'annotator-cms.json',
      'label-assignment.json',
      'config.json',
      'train-log.jsonl',
    ])
      expect(existsSync(join(model, f)), f).toBe(true);

    const cms = join(root, 'cms');
    const p = run(...argv`predict --model ${model} --data ${data} --split val --cm-out ${cms} --cm-maps --threads 1`);
    expect(p.code, p.stderr).toBe(0);
    expect(readdirSync(cms).sort()).toEqual([
      'case04.json',
      'case04_fair.nii.gz',
      'case04_good.nii.gz',
      'case04_over.nii.gz',
      'case05.json',
      'case05_fair.nii.gz',
      'case05_good.nii.gz',
      'case05_over.nii.gz',
    ]);
    const one = JSON.parse(readFileSync(join(cms, 'case04.json'), 'utf8'));
    expect(one).toMatchObject({ schemaVersion: 1, caseId: 'case04', raters: ['good', 'over', 'fair'], labels: [0, 1] });
    expect(readNifti(join(cms, 'case04_over.nii.gz')).volume.shape).toEqual([16, 16, 1, 4]);

    const e = run('eval', '--cms', cms, '--data', data, '--json');
    expect(e.code, e.stderr).toBe(0);
    const scored = JSON.parse(e.stdout);
    expect(scored.cases.map((c: { caseId: string }) => c.caseId)).toEqual(['case04', 'case05']);
    expect(scored.cmError).toBeGreaterThanOrEqual(0);
    expect(scored.cmError).toBeLessThan(1);
  });

  it('predict --cm-out refuses an oracle model, and a bad --cm-out, before writing any prediction', () => {
    const { model: oracle } = quickTrain('oracle', '--raters good,over --model annotator-cm --oracle --iterations 2');
    const preds = join(root, 'oracle-preds');
    const predictVal = (model: string, out: string) =>
      argv`predict --model ${model} --data ${data} --split val --out ${out}`;
    const refused = run(...predictVal(oracle, preds), ...argv`--cm-out ${join(root, 'oracle-cms')} --threads 1`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `multirater: ${oracle}: trained with the oracle, whose per-pixel matrices come from the truth during training: an oracle model has no learned matrices to write to --cm-out (its segmentation network predicts labels: 'multirater predict --out')\n`,
    );
    expect(existsSync(preds)).toBe(false);
    expect(existsSync(join(root, 'oracle-cms'))).toBe(false);
    // Its segmentation network predicts as any model's.
    const seg = run(...predictVal(oracle, preds), '--threads', '1', '--json');
    expect(seg.code, seg.stderr).toBe(0);
    expect(readdirSync(preds).sort()).toEqual(['case04.nii.gz', 'case05.nii.gz']);

    // --cm-out naming an existing file is refused before --out is written.
    const learned = join(root, 'model'); // trained by the first test
    const file = join(root, 'a-file.json');
    writeFileSync(file, '{}');
    const out = join(root, 'learned-preds');
    const bad = run(...predictVal(learned, out), '--cm-out', file, '--threads', '1');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--cm-out/);
    expect(existsSync(out)).toBe(false);
  });

  it('eval --cms on data without true matrices says why the overall error is null, and takes them from --true-cms', () => {
    const cms = join(root, 'cms'); // written by the first test
    // An "imported" copy: the same cases (absolute paths), no confusionMatrices.
    const original = JSON.parse(readFileSync(join(data, 'dataset.json'), 'utf8'));
    const imported = join(root, 'imported');
    mkdirSync(imported);
    const abs = (p: string) => join(data, p);
    const cases = original.cases.map((c: { image: string; truth: string; raters: Record<string, string> }) => ({
      ...c,
      image: abs(c.image),
      truth: abs(c.truth),
      raters: Object.fromEntries(Object.entries(c.raters).map(([r, p]) => [r, abs(p)])),
    }));
    writeFileSync(join(imported, 'dataset.json'), JSON.stringify({ ...original, cases, confusionMatrices: undefined }));
    const none = run('eval', '--cms', cms, '--data', imported, '--json');
    expect(none.code, none.stderr).toBe(0);
    const noneJson = JSON.parse(none.stdout);
    expect(noneJson).toMatchObject({
      cmError: null,
      cmErrorAgainst: null,
      cmErrorNote: `${join(imported, 'dataset.json')} records no true confusion matrices (confusionMatrices: simulated datasets have them, imported ones do not)`,
    });
    const text = run('eval', '--cms', cms, '--data', imported);
    expect(text.stdout.split('\n')[1]).toBe(
      `CM error of the mean estimate: – (${noneJson.cmErrorNote}; give the true matrices with --true-cms FILE)`,
    );

    const trueCms = join(root, 'true-cms.json');
    writeFileSync(trueCms, JSON.stringify(original.confusionMatrices));
    const given = JSON.parse(run('eval', '--cms', cms, '--data', imported, '--true-cms', trueCms, '--json').stdout);
    const fromDataset = JSON.parse(run('eval', '--cms', cms, '--data', data, '--json').stdout);
    expect(given.cmError).toBe(fromDataset.cmError);
    expect([given.cmErrorAgainst, fromDataset.cmErrorAgainst, given.cmErrorNote]).toEqual([
      trueCms,
      join(data, 'dataset.json'),
      null,
    ]);

    const partial = join(root, 'partial-cms.json');
    writeFileSync(partial, JSON.stringify({ good: original.confusionMatrices.good }));
    const bad = run('eval', '--cms', cms, '--data', imported, '--true-cms', partial);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`multirater: ${partial}: no true matrix for "over", "fair" (has: good)\n`);
    writeFileSync(partial, JSON.stringify({ good: { labels: [0, 1], matrix: [[1, 0]] }, over: {}, fair: {} }));
    const malformed = run('eval', '--cms', cms, '--data', imported, '--true-cms', partial);
    expect(malformed.stderr).toMatch(
      new RegExp(`^multirater: ${partial}: key "good": matrix must be square, of numbers or null .*\n$`),
    );
  });

  it('passes the training flags every method shares (normalisation, schedule, optimiser, norm) and --base to the annotator trainer', () => {
    const { model } = quickTrain(
      'shared-flags',
      '--raters good,over --model annotator-cm --base unet2d --zscore-above 50 --schedule constant --optimizer sgd --norm instance --blocks-per-stage 2 --iterations 2',
    );
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      normalization: { method: 'zscore', above: 50 },
      schedule: 'constant',
      optimizer: 'sgd',
      modelOptions: { norm: 'instance', blocksPerStage: 2, base: 'unet2d', annotators: 2 },
    });
    const bad = run(
      ...argv`train --data ${data} --raters good,over --mean-labels --base unet2d --out ${join(root, 'bad-base')}`,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'multirater: train: --base applies to annotator-cm models, not to --mean-labels (choose the network with --model)\n',
    );
  });

  it('rejects --rater with --raters, and a bad --cm, with one line', () => {
    const out = join(root, 'bad');
    const both = run('train', '--data', data, '--rater', 'good', '--raters', 'good,over', '--out', out);
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('multirater: train: give either --rater or --raters, not both\n');
    const cm = run('train', '--data', data, '--raters', 'good,over', '--cm', 'diagonal', '--out', out);
    expect(cm.code).toBe(1);
    expect(cm.stderr).toBe('multirater: train: --cm must be "pixel" or "global", got "diagonal"\n');
    const select = run(
      ...argv`train --data ${data} --raters good,over --model annotator-cm --select-by truth --out ${out}`,
    );
    expect(select.code).toBe(1);
    expect(select.stderr).toBe('multirater: train: --select-by must be "loss" or "dice", got "truth"\n');
    expect(existsSync(out)).toBe(false);
  });

  it("--select-by reaches the annotator trainer (annotator-cm and --mean-labels), which selects on the raters' labels", () => {
    for (const [name, method] of [
      ['cm', ['--model', 'annotator-cm']],
      ['mean', ['--mean-labels']],
    ] as const) {
      const model = join(root, `select-${name}`);
      const t = run(
        ...argv`train --data ${data} --raters good,over ${method} --select-by dice --iterations 2 --validate-every 1
        --batch 2 --threads 1 --out ${model} --json`,
      );
      expect(t.code, t.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')).selectBy).toBe('dice');
      const best = JSON.parse(t.stdout).best;
      expect(best).toMatchObject({ reference: 'truth' });
      expect(typeof best.loss).toBe('number');
      expect(typeof best.majorityDice).toBe('number');
    }
  });
});
