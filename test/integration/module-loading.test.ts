/**
 * Each command loads only what it runs (issue 25): the commands a script calls once per file — `info`, `eval`,
 * `fuse`, `register --method demons`, `dataset check`, `--help` — load none of the heavy dependencies
 * (ONNX Runtime, protobufjs, BullMQ, Vega, niivue) nor the neural engine (src/nn/). The modules a process loads
 * are logged by an ESM resolve hook (test/load-hooks/), which sees every `import`, static or dynamic; the CLI runs
 * from its bundle (dist/cli-bundle/, scripts/build-cli.mjs), whose files are read back to the sources they hold
 * through esbuild's metafile, so a source bundled into a chunk counts as loaded when the chunk is.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../src/io/write-nifti.ts';
import { createVolume } from '../../src/volume/volume.ts';
import { argv, BIN } from '../cli.ts';
import { tempDir } from '../dataset-trees.ts';
import { fixturePath } from '../fixtures.ts';
import { writeTinyDataset } from '../tiny-segmentation-dataset.ts';

const HOOK = resolve(import.meta.dirname, '../load-hooks/register.mjs');
const HEAVY = [
  /\/node_modules\/onnxruntime-node\//,
  /\/node_modules\/protobufjs\//,
  /\/node_modules\/bullmq\//,
  /\/node_modules\/vega(-lite)?\//,
  /\/node_modules\/@niivue\//,
  /\/src\/nn\//,
];
const BUNDLE = resolve(BIN, '../../dist/cli-bundle');

/** The sources (package-relative, as `/src/…`) held by each file of the CLI bundle, from esbuild's metafile. */
function bundleSources(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return new Map(
    Object.entries(meta.outputs).map(([out, { inputs }]) => [
      pathToFileURL(resolve(BUNDLE, '../..', out)).href,
      Object.keys(inputs).map((i) => `/${i}`),
    ]),
  );
}

let work: string;
beforeAll(() => {
  work = tempDir('module-loading');
  const disc = (cx: number) =>
    createVolume(
      [32, 32],
      Float32Array.from({ length: 1024 }, (_, i) =>
        ((i % 32) - cx) ** 2 + (Math.floor(i / 32) - 16) ** 2 < 64 ? 100 : 0,
      ),
    );
  writeNifti(join(work, 'fixed.nii.gz'), disc(16));
  writeNifti(join(work, 'moving.nii.gz'), disc(18));
  writeNifti(
    join(work, 'labels.nii.gz'),
    createVolume(
      [32, 32],
      Uint8Array.from(disc(18).data, (v) => (v > 0 ? 1 : 0)),
    ),
  );
  for (const i of [1, 2, 3]) copyFileSync(fixturePath('fusion', `set1_rater${i}.nii.gz`), join(work, `r${i}.nii.gz`));
  writeTinyDataset(join(work, 'data'), { shape: [8, 8, 2] });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The URLs the command's process resolved, each file of the CLI bundle followed by the sources it holds, and the
 * exit code.
 */
function loaded(args: string[]): { urls: string[]; code: number | null; stderr: string } {
  const log = join(work, `load-${args[0]}.txt`);
  rmSync(log, { force: true });
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MULTIRATER_LOAD_LOG: log },
    timeout: 60_000,
  });
  const sources = bundleSources();
  const urls = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .flatMap((u) => [u, ...(sources.get(u) ?? [])]);
  return { urls, code: r.status, stderr: r.stderr };
}

describe('each command loads only what it runs', () => {
  const commands: Record<string, () => string[]> = {
    '--help': () => ['--help'],
    info: () => ['info', join(work, 'fixed.nii.gz')],
    eval: () => ['eval', '--pred', join(work, 'r1.nii.gz'), '--ref', join(work, 'r2.nii.gz'), '--json'],
    fuse: () => [
      'fuse',
      '--method',
      'staple',
      '--out',
      join(work, 'fused.nii.gz'),
      ...[1, 2, 3].map((i) => join(work, `r${i}.nii.gz`)),
    ],
    'register --method demons': () => [
      'register',
      '--method',
      'demons',
      '--fixed',
      join(work, 'fixed.nii.gz'),
      '--moving',
      join(work, 'moving.nii.gz'),
      '--iterations',
      '5',
      '--warp',
      join(work, 'labels.nii.gz'),
      '--out',
      join(work, 'warped.nii.gz'),
    ],
    'dataset check': () => ['dataset', 'check', join(work, 'data')],
  };
  for (const [name, args] of Object.entries(commands)) {
    it(`${name}: no ONNX Runtime, protobufjs, BullMQ, Vega, niivue or neural engine`, () => {
      const { urls, code, stderr } = loaded(args());
      expect(code, stderr).toBe(0);
      expect(
        urls.some((u) => u.endsWith('/dist/cli-bundle/main.js')) && urls.includes('/src/cli/main.ts'),
        'the hook saw the CLI load',
      ).toBe(true);
      expect(urls.filter((u) => HEAVY.some((h) => h.test(u)))).toEqual([]);
    });
  }

  /** What a command on one or two files has no use for: dataset schemas (zod), CSV and PNG codecs, datasets/. */
  const DATASET_SIDE = [
    /\/node_modules\/zod\//,
    /\/node_modules\/csv-parse\//,
    /\/node_modules\/fast-png\//,
    /\/src\/datasets\//,
  ];
  for (const name of ['info', 'eval', 'register --method demons'])
    it(`${name}: no zod, csv-parse, fast-png or datasets/ (a call on files reads no dataset)`, () => {
      const { urls, code, stderr } = loaded(commands[name]());
      expect(code, stderr).toBe(0);
      expect(urls.filter((u) => DATASET_SIDE.some((h) => h.test(u)))).toEqual([]);
    });

  it('the hook sees a heavy module when a command does load one (train)', () => {
    const { urls } = loaded(
      argv`train --data ${join(work, 'data')} --rater expert --iterations 1 --batch 2 --threads 1
      --out ${join(work, 'model')} --json`,
    );
    expect(urls.some((u) => /\/node_modules\/onnxruntime-node\//.test(u))).toBe(true);
    expect(urls.some((u) => /\/src\/nn\//.test(u))).toBe(true);
  });
});
