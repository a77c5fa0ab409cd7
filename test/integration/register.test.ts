/** `multirater register` and `multirater propagate` end to end on the tiny cine (run `npm run build` first). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVolume } from '../../src/io/read-volume.ts';
import { tempDataset } from '../temp-dataset.ts';
import { writeTinyCine } from '../tiny-cine.ts';
import { argv, runCli } from '../cli.ts';

const { root, data } = tempDataset('register-cli', (d) => writeTinyCine(d));

const run = runCli;

/** `multirater register` of the ED frame onto the ES frame. */
const edOntoEs = argv`register --fixed ${join(data, 'es.nii.gz')} --moving ${join(data, 'ed.nii.gz')}`;
const edExpert = join(data, 'ed_expert.nii.gz');

describe('multirater register', () => {
  it('registers ED onto ES with demons, writing the 4D field and the warped labels on the fixed grid', () => {
    const field = join(root, 'field.nii.gz');
    const out = join(root, 'warped.nii.gz');
    const r = run(
      ...edOntoEs,
      ...argv`--dims 2 --iterations 20 --field ${field} --warp ${edExpert} --out ${out} --json`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, method: 'demons', shape: [24, 24, 2], field, out });
    expect(report.quality.foldingFraction).toBe(0);
    expect(readVolume(field).shape).toEqual([24, 24, 2, 3]);
    const warped = readVolume(out);
    const es = readVolume(join(data, 'es_expert.nii.gz'));
    expect(warped.affine).toEqual(es.affine);
  });

  it('rejects --warp without --out in one line, writing nothing', () => {
    const r = run(...edOntoEs, '--warp', edExpert);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('multirater: --warp and --out go together\n');
  });
});

describe('multirater register train', () => {
  it('trains a model (flags shared with register reach the subcommand) that register and propagate --method learned load', () => {
    const model = join(root, 'model');
    const t = run(...argv`register train --data ${data} --out ${model} --steps 1 --batch 1 --threads 1 --json`);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({
      schemaVersion: 1,
      dir: model,
      steps: 1,
      dims: 2,
      tensorShape: [32, 32],
    });
    const field = join(root, 'learned-field.nii.gz');
    const r = run(...edOntoEs, ...argv`--method learned --model ${model} --field ${field} --threads 1 --json`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).quality.foldingFraction).toBe(0);
    expect(readVolume(field).shape).toEqual([24, 24, 2, 3]);
    const learned = join(root, 'prop-learned');
    const p = run(
      ...argv`propagate --data ${data} --out-dir ${learned} --method learned --model ${model} --threads 1 --json`,
    );
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout).frames.length).toBe(4);
  });
});

describe('multirater propagate', () => {
  it('writes the dataset copy with one case per frame', () => {
    const out = join(root, 'prop');
    const r = run('propagate', '--data', data, '--out-dir', out, '--method', 'identity', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.frames.length).toBe(4);
    expect(existsSync(join(out, 'dataset.json'))).toBe(true);
  });

  it('writes nothing on bad input (unknown rater)', () => {
    const out = join(root, 'never');
    const r = run('propagate', '--data', data, '--out-dir', out, '--labels', 'ghost');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^multirater: .*no rater "ghost"/);
    expect(readdirSync(root).filter((f) => f.startsWith('never'))).toEqual([]);
  });
});
