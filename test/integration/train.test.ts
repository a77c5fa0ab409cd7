/** `multirater train`, `predict`, `model info` end to end on a tiny dataset (few iterations; checks files and grids, not accuracy). */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../src/io/read-nifti.ts';
import { tempDataset } from '../temp-dataset.ts';
import { writeTinyDataset } from '../tiny-segmentation-dataset.ts';
import { argv, runCli } from '../cli.ts';

const run = runCli;

const { root, data } = tempDataset('train-cli', (d) => writeTinyDataset(d, { shape: [20, 18, 3] }));

describe('multirater train / predict', () => {
  it('trains, then predicts the test split on each case grid, then a single image', () => {
    const model = join(root, 'model');
    const t = run(
      ...argv`train --data ${data} --rater expert --model unet2d --loss ce+dice --iterations 4 --batch 2
      --validate-every 2 --threads 1 --out ${model} --json`,
    );
    expect(t.code, t.stderr).toBe(0);
    const summary = JSON.parse(t.stdout);
    expect(summary).toMatchObject({
      schemaVersion: 1,
      iterations: 4,
      model: 'unet2d',
      labelSource: 'expert',
      loss: 'ce+dice',
    });
    expect(t.stderr).toBe('');
    for (const f of ['model.onnx', 'config.json', 'train-log.jsonl', 'checkpoint/latest.json'])
      expect(existsSync(join(model, f)), f).toBe(true);
    expect(readFileSync(join(model, 'train-log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4 + 2);

    const preds = join(root, 'preds');
    const p = run('predict', '--model', model, '--data', data, '--split', 'test', '--out', preds, '--threads', '1');
    expect(p.code, p.stderr).toBe(0);
    expect(readdirSync(preds)).toEqual(['case05.nii.gz']);
    const pred = readNifti(join(preds, 'case05.nii.gz')).volume;
    const image = readNifti(join(data, 'images', 'case05.nii.gz')).volume;
    expect(pred.shape).toEqual(image.shape);
    expect(pred.affine).toEqual(image.affine);

    const one = join(root, 'one.nii.gz');
    const image00 = join(data, 'images', 'case00.nii.gz');
    const q = run(
      ...argv`predict --model ${model} --image ${image00} --out ${one} --tta --largest-component --threads 1`,
    );
    expect(q.code, q.stderr).toBe(0);
    expect(readNifti(one).volume.shape).toEqual([20, 18, 3]);
  });

  it('--cases and --case-ids train on those cases only, recorded in config.json; unknown ids and ids outside the train split refused in one line', () => {
    const base = argv`train --data ${data} --rater expert --iterations 2 --batch 2 --threads 1 --json`;
    const listed = join(root, 'listed');
    const a = run(...base, '--cases', 'case03,case01', '--out', listed);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(listed, 'config.json'), 'utf8')).caseIds).toEqual(['case03', 'case01']);
    const file = join(root, 'ids.txt');
    writeFileSync(file, 'case03\n\n  case01\n');
    const fromFile = join(root, 'from-file');
    const b = run(...base, '--case-ids', file, '--out', fromFile);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(fromFile, 'model.onnx')).equals(readFileSync(join(listed, 'model.onnx')))).toBe(true);
    writeFileSync(join(root, 'ids.json'), '["case03", "case01"]');
    expect(run(...base, '--case-ids', join(root, 'ids.json'), '--out', join(root, 'from-json')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'from-json', 'config.json'), 'utf8')).caseIds).toEqual([
      'case03',
      'case01',
    ]);
    // Every case: a different model.
    const all = join(root, 'all-cases');
    expect(run(...base, '--out', all).code).toBe(0);
    expect(readFileSync(join(all, 'model.onnx')).equals(readFileSync(join(listed, 'model.onnx')))).toBe(false);

    writeFileSync(join(root, 'twice.txt'), 'case01\ncase02\ncase01\n');
    const dataset = join(data, 'dataset.json');
    for (const [flags, message] of [
      [['--cases', 'case01,nope'], `${dataset}: no case with id "nope"`],
      [
        ['--cases', 'case01,case04'],
        `${dataset}: cases are taken from split train, and these are not in it: "case04" (split val)`,
      ],
      [['--case-ids', join(root, 'twice.txt')], `${join(root, 'twice.txt')}: line 3: case "case01" is listed twice`],
      [['--case-ids', file, '--cases', 'case01'], 'train: give either --case-ids FILE or --cases A,B,…, not both'],
    ] as const) {
      const out = join(root, 'never-cases');
      const r = run(...base, ...flags, '--out', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`multirater: ${message}\n`);
      expect(existsSync(out)).toBe(false);
    }
    const annotatorCm = argv`train --data ${data} --raters expert --model annotator-cm`;
    const annotators = run(...annotatorCm, ...argv`--cases case01 --out ${join(root, 'never-cases')}`);
    expect(annotators.stderr).toBe(
      'multirater: train: the annotator methods take no --case-ids (or --cases); one-rater and multi-expert training do\n',
    );
    const loss = run(...annotatorCm, ...argv`--loss dice --patience 2 --out ${join(root, 'never-loss')}`);
    expect(loss.stderr).toBe(
      'multirater: train: the annotator methods take no --loss, --patience; one-rater and multi-expert training do\n',
    );
  });

  it('rejects an unknown rater, model or loss with one line naming it, and writes nothing', () => {
    const out = join(root, 'bad');
    for (const [flag, value, message] of [
      ['--rater', 'nobody', /label source "nobody"/],
      ['--model', 'vnet', /unknown model "vnet"/],
      ['--loss', 'focal', /unknown loss "focal"/],
    ] as const) {
      const args = { '--rater': 'expert', '--model': 'unet2d', '--loss': 'dice', [flag]: value };
      const r = run('train', '--data', data, '--out', out, ...Object.entries(args).flat());
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('predict refuses a folder that is not a trained model', () => {
    const r = run('predict', '--model', data, '--data', data, '--out', join(root, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a trained model folder/);
  });

  it('model info prints parameter counts as JSON', () => {
    const r = run('model', 'info', 'attention-unet2d', '--json');
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.trainableParameters).toBe(
      Object.values(info.byLayer as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    expect(info.byLayer).toHaveProperty('gate0');
  });
});
