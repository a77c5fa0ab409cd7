/** `multirater train --raters … --norm cin`, `finetune` and `predict --rater` end to end on a tiny two-expert dataset (files and wiring, not accuracy). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, runCli } from '../cli.ts';
import { quickTrainArgs } from '../quick-train.ts';
import { tempDataset } from '../temp-dataset.ts';
import { writeTwoExpertDataset } from '../two-expert-dataset.ts';

const run = runCli;

const { root, data } = tempDataset('multi-expert-cli', (d) => writeTwoExpertDataset(d, 5));

/** `multirater finetune` of `model` to expert "mid" from 2 images (way 1 of 5). */
const finetuneMid = (model: string) =>
  argv`finetune --model ${model} --data ${data} --rater mid --samples 2 --way 1 --ways 5`;

describe('multirater train --raters / finetune / predict --rater', () => {
  it('trains a two-expert cin model, adapts it to a third expert and predicts each branch', () => {
    const model = join(root, 'model');
    const flags = '--raters tight,wide --norm cin --loss sample-dice --optimizer radam --iterations 2';
    const t = run(...quickTrainArgs(data, model, flags), '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'))).toMatchObject({
      experts: ['tight', 'wide'],
      optimizer: 'radam',
      modelOptions: { norm: 'cin', experts: 2 },
    });

    const adapted = join(root, 'adapted');
    const f = run(
      ...finetuneMid(model),
      ...argv`--mode expert-only --iterations 2 --threads 1 --out ${adapted} --json`,
    );
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout)).toMatchObject({
      schemaVersion: 1,
      experts: ['tight', 'wide', 'mid'],
      mode: 'expert-only',
      images: [1, 2],
      caseIds: ['case1', 'case2'],
    });
    expect(existsSync(join(adapted, 'finetune.json'))).toBe(true);

    const image = join(data, 'images', 'case0.nii.gz');
    const p = run(
      ...argv`predict --model ${adapted} --image ${image} --rater mid --out ${join(root, 'mid.nii.gz')} --threads 1`,
    );
    expect(p.code, p.stderr).toBe(0);
    expect(existsSync(join(root, 'mid.nii.gz'))).toBe(true);
    const both = run('train', '--data', data, '--rater', 'tight', '--raters', 'tight,wide', '--out', join(root, 'y'));
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/give either --rater or --raters, not both/);
  });

  it('finetune refuses a truncated or foreign config.json in one line naming it', () => {
    const model = join(root, 'corrupt-model');
    mkdirSync(model);
    writeFileSync(join(model, 'model.onnx'), 'not read');
    const finetune = () => run(...finetuneMid(model), '--out', join(root, 'never'));
    const config = join(model, 'config.json');
    const foreign = `${config}: expected the config.json written by 'multirater train' (format "multirater-model", with modelOptions)`;
    const cases = [
      [
        '{"format": "multirater-model", "modelOpt',
        `${config}: not JSON (truncated or corrupted); expected the config.json written by 'multirater train'`,
      ],
      ['{"format": "multirater-model"}', foreign],
      ['null', foreign],
    ];
    for (const [text, message] of cases) {
      writeFileSync(config, text);
      const r = finetune();
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`multirater: ${message}\n`);
    }
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});
