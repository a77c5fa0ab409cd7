/**
 * No command destroys an input or writes a file its name misdescribes (issue 17, items 4–7): each reproduction
 * from the report, run as a user runs it, must exit non-zero with one line and leave every input byte-identical.
 */
import { copyFileSync, existsSync, linkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argv, runCli } from '../cli.ts';
import { quickTrainArgs } from '../quick-train.ts';
import { tempDir } from '../dataset-trees.ts';
import { fixturePath } from '../fixtures.ts';
import { refused } from '../refused-run.ts';
import { writeTinyDataset } from '../tiny-segmentation-dataset.ts';

const run = runCli;

let root: string;
let data: string;
let model: string;
const raters: string[] = [];

beforeAll(() => {
  root = tempDir('output-safety');
  for (const i of [1, 2, 3]) {
    const copy = join(root, `r${i}.nii.gz`);
    copyFileSync(fixturePath('fusion', `set1_rater${i}.nii.gz`), copy);
    raters.push(copy);
  }
  data = join(root, 'data');
  writeTinyDataset(data, { shape: [16, 16, 2] });
  model = join(root, 'model');
  const t = run(...quickTrainArgs(data, model, '--rater expert --iterations 2'), '--json');
  expect(t.code, t.stderr).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('outputs never overwrite inputs', () => {
  it('fuse --out onto one of its raters, also through a symbolic or hard link', () => {
    const [r1, r2, r3] = raters;
    refused(
      ['fuse', '--method', 'majority', '--out', r1, r1, r2, r3],
      /--out would overwrite the input .*r1\.nii\.gz/,
      raters,
    );
    const sym = join(root, 'sym.nii.gz');
    symlinkSync(r2, sym);
    refused(['fuse', '--method', 'majority', '--out', sym, r1, r2, r3], /would overwrite the input/, raters);
    const hard = join(root, 'hard.nii.gz');
    linkSync(r3, hard);
    refused(['fuse', '--method', 'majority', '--out', hard, r1, r2, r3], /would overwrite the input/, raters);
  });

  it('fuse --prob and --out on one path', () => {
    const out = join(root, 'same.nii.gz');
    refused(
      ['fuse', '--method', 'staple', '--prob', out, '--out', out, ...raters],
      /--out and --prob name the same file|--prob and --out name the same file/,
      raters,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('predict --image X --out X', () => {
    const image = join(data, 'images', 'case00.nii.gz');
    refused(
      ['predict', '--model', model, '--image', image, '--out', image, '--threads', '1'],
      /--out would overwrite the input/,
      [image],
    );
  });

  it('eval --csv onto a prediction file', () => {
    const preds = join(data, 'raters', 'expert');
    const victim = join(preds, 'case05.nii.gz');
    refused(
      ['eval', '--pred-dir', preds, '--data', data, '--split', 'test', '--csv', victim],
      /--csv must name a \.csv file/,
      [victim],
    );
    const csvNamed = join(preds, 'notes.csv');
    writeFileSync(csvNamed, 'keep me\n');
    refused(
      ['eval', '--pred-dir', preds, '--data', data, '--split', 'test', '--csv', csvNamed],
      /--csv would overwrite the input/,
      [csvNamed],
    );
    rmSync(csvNamed);
  });
});

describe('folders and formats', () => {
  it('train --out an existing file and predict --data --out an existing file: one line, no stack trace', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder\n');
    refused(
      ['train', '--data', data, '--rater', 'expert', '--iterations', '1', '--threads', '1', '--out', file],
      /--out names a folder to write, but this is an existing file/,
      [file],
    );
    refused(
      ['predict', '--model', model, '--data', data, '--out', file, '--threads', '1'],
      /--out names a folder to write, but this is an existing file/,
      [file],
    );
  });

  it('train into a folder holding a model: refused without --force or --resume; --force replaces it; --resume without a checkpoint says it starts fresh', () => {
    const modelFile = join(model, 'model.onnx');
    /** `multirater train` of `iterations` on the expert, one thread, into `out`. */
    const trainExpert = (iterations: number, out: string) =>
      argv`train --data ${data} --rater expert --iterations ${iterations} --threads 1 --out ${out}`;
    refused(trainExpert(1, model), /already holds a model .*--resume .*--force/, [modelFile]);
    const other = join(root, 'other-model');
    expect(run(...trainExpert(1, other), '--json').code).toBe(0);
    const forced = run(...trainExpert(2, other), '--force', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).iterations).toBe(2);
    const fresh = run(...trainExpert(1, join(root, 'fresh')), '--resume');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain('--resume: no checkpoint in');
    expect(fresh.stderr).toContain('starting fresh');
  });

  it('predict --out p.png is refused: outputs are NIfTI', () => {
    const png = join(root, 'p.png');
    const r = run(
      ...argv`predict --model ${model} --image ${join(data, 'images', 'case00.nii.gz')} --out ${png} --threads 1`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\.png: --out must end in \.nii or \.nii\.gz/);
    expect(existsSync(png)).toBe(false);
  });

  it('fuse --method staple on multi-label maps points to multilabel-staple unless --foreground is given', () => {
    const ml = [1, 2, 3].map((i) => fixturePath('fusion', `multilabel_rater${i}.nii.gz`));
    const out = join(root, 'ml.nii.gz');
    const r = run('fuse', '--method', 'staple', '--out', out, ...ml);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/binary STAPLE would keep label 1 only .*multilabel-staple.*--foreground 1/);
    expect(existsSync(out)).toBe(false);
    expect(run('fuse', '--method', 'staple', '--foreground', '2', '--out', out, ...ml).code).toBe(0);
  });
});
