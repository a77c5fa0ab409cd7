/**
 * No command writes over an input (issue 30): every command with outputs, each output given as each of its inputs
 * — the path itself, a symbolic link to it, a hard link to it (files), a folder holding it (folders) — is refused
 * with exit 1 and one stderr line naming the conflict, and the test tree is left as it was, byte for byte: no input
 * changed, no output or staging file created. Every image and model file the commands are given is garbage named
 * like the real thing, so a command that read one before refusing would fail with another message (the control
 * case below shows it): the outputs are checked before anything but dataset.json is read.
 */
import {
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDataset, type Case } from '../../src/datasets/dataset.ts';
import { usableCpus } from '../../src/cores.ts';
import { argv, runCliAsync, type CliResult } from '../cli.ts';
import { tempDir } from '../dataset-trees.ts';
import { expectRefused } from '../refused-run.ts';

let root: string;
/** A path under the test tree: inputs under in/, links under links/, an unrelated file under other/, never-made outputs under fresh/. */
const at = (...parts: string[]): string => join(root, ...parts);

/** Writes a file no reader accepts (its own path inside, so no two inputs are alike). */
function garbage(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `not an image or model: ${path}\n`);
  return path;
}

function writeGarbageDataset(dir: string, cases: Case[], raters: string[]): void {
  for (const c of cases)
    for (const p of [c.image, c.truth, c.meta.cine, ...Object.values(c.raters)])
      if (p !== undefined) garbage(join(dir, p));
  saveDataset(dir, { name: 'guard', labels: { '1': 'fg' }, raters, cases });
}

beforeAll(() => {
  root = tempDir('output-guard');
  const cases: Case[] = ['case00', 'case01'].map((id, n) => ({
    id,
    image: `images/${id}.nii.gz`,
    truth: `truth/${id}.nii.gz`,
    raters: { expert: `raters/expert/${id}.nii.gz` },
    meta: { split: n === 0 ? 'train' : 'test' },
  }));
  writeGarbageDataset(at('in', 'data'), cases, ['expert']);
  const cine: Case = {
    id: 's1_ED',
    image: 'ed.nii.gz',
    raters: { expert: 'ed_expert.nii.gz' },
    meta: { subject: 's1', frame: 'ED', cine: 'cine.nii.gz' },
  };
  writeGarbageDataset(at('in', 'cine'), [cine], ['expert']);
  for (const f of ['model.onnx', 'config.json']) garbage(at('in', 'model', f));
  for (const f of ['case00.nii.gz', 'case01.nii.gz']) garbage(at('in', 'preds', f));
  for (const f of ['r1', 'r2', 'r3', 'mask', 'fixed', 'moving', 'labels']) garbage(at('in', 'files', `${f}.nii.gz`));
  garbage(at('in', 'source', 'images', 'a.nii.gz'));
  garbage(at('other', 'existing.txt'));
  mkdirSync(at('links'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One command with outputs: the output under test given as `out`, every other output a fresh path. */
interface Row {
  name: string;
  /** The flag naming the output under test, as the refusal names it. */
  role: string;
  args: (out: string) => string[];
  /** Inputs the output is set to, one at a time: files and folders. */
  inputs: () => string[];
  /** File outputs: the extension the output must have; folder outputs: null. */
  ext: string | null;
  /** The format refusal a file output gets first when set to an input of another extension, if it checks that first. */
  format?: RegExp;
}

const file = (...p: string[]) => at('in', 'files', ...p);
const data = () => at('in', 'data');
const model = () => at('in', 'model');
const cine = () => at('in', 'cine');
const preds = () => at('in', 'preds');
const fresh = (name: string) => at('fresh', name);
/** `multirater register` of in/files/moving.nii.gz onto in/files/fixed.nii.gz. */
const register = () => argv`register --fixed ${file('fixed.nii.gz')} --moving ${file('moving.nii.gz')}`;

const ROWS: Row[] = [
  {
    name: 'fuse --out',
    role: '--out',
    ext: '.nii.gz',
    inputs: () => [file('r1.nii.gz'), file('mask.nii.gz')],
    args: (o) => [
      'fuse',
      '--method',
      'majority',
      '--mask',
      file('mask.nii.gz'),
      '--out',
      o,
      file('r1.nii.gz'),
      file('r2.nii.gz'),
      file('r3.nii.gz'),
    ],
  },
  {
    name: 'fuse --prob',
    role: '--prob',
    ext: '.nii.gz',
    inputs: () => [file('r2.nii.gz')],
    args: (o) => [
      'fuse',
      '--method',
      'staple',
      '--out',
      fresh('fused.nii.gz'),
      '--prob',
      o,
      file('r1.nii.gz'),
      file('r2.nii.gz'),
      file('r3.nii.gz'),
    ],
  },
  {
    name: 'predict --image --out',
    role: '--out',
    ext: '.nii.gz',
    format: /must end in \.nii or \.nii\.gz/,
    inputs: () => [join(data(), 'images', 'case00.nii.gz'), join(model(), 'model.onnx')],
    args: (o) => [
      'predict',
      '--model',
      model(),
      '--image',
      join(data(), 'images', 'case00.nii.gz'),
      '--out',
      o,
      '--threads',
      '1',
    ],
  },
  {
    name: 'eval --csv',
    role: '--csv',
    ext: '.csv',
    format: /--csv must name a \.csv file/,
    inputs: () => [
      join(preds(), 'case00.nii.gz'),
      join(data(), 'truth', 'case01.nii.gz'),
      join(data(), 'dataset.json'),
    ],
    args: (o) => ['eval', '--pred-dir', preds(), '--data', data(), '--csv', o],
  },
  {
    name: 'register --warp --out',
    role: '--out',
    ext: '.nii.gz',
    inputs: () => [file('labels.nii.gz'), file('fixed.nii.gz'), file('moving.nii.gz')],
    args: (o) => [...register(), '--warp', file('labels.nii.gz'), '--out', o, '--field', fresh('field.nii.gz')],
  },
  {
    name: 'register --field (learned)',
    role: '--field',
    ext: '.nii.gz',
    format: /must end in \.nii or \.nii\.gz/,
    inputs: () => [file('fixed.nii.gz'), file('moving.nii.gz'), file('labels.nii.gz'), join(model(), 'model.onnx')],
    args: (o) => [
      ...register(),
      ...argv`--method learned --model ${model()} --field ${o} --warp ${file('labels.nii.gz')}
      --out ${fresh('warped.nii.gz')}`,
    ],
  },
  {
    name: 'overlay --out',
    role: '--out',
    ext: '.png',
    inputs: () => [join(data(), 'images', 'case00.nii.gz'), file('labels.nii.gz')],
    args: (o) => ['overlay', join(data(), 'images', 'case00.nii.gz'), '--labels', file('labels.nii.gz'), '--out', o],
  },
  {
    name: 'view --screenshot',
    role: '--screenshot',
    ext: '.png',
    format: /--screenshot must name a \.png file/,
    inputs: () => [
      join(data(), 'images', 'case00.nii.gz'),
      join(preds(), 'case01.nii.gz'),
      join(data(), 'dataset.json'),
    ],
    args: (o) => ['view', data(), '--pred', preds(), '--screenshot', o, '--case', 'case00'],
  },
  {
    name: 'fuse --data --out-dir',
    role: '--out-dir',
    ext: null,
    inputs: () => [data(), join(data(), 'raters', 'expert', 'case00.nii.gz')],
    args: (o) => ['fuse', '--method', 'majority', '--data', data(), '--out-dir', o],
  },
  {
    name: 'predict --data --out',
    role: '--out',
    ext: null,
    inputs: () => [data(), model(), join(data(), 'images', 'case01.nii.gz')],
    args: (o) => ['predict', '--model', model(), '--data', data(), '--out', o, '--threads', '1'],
  },
  {
    name: 'predict --data --cm-out',
    role: '--cm-out',
    ext: null,
    inputs: () => [data(), model()],
    args: (o) => ['predict', '--model', model(), '--data', data(), '--cm-out', o, '--threads', '1'],
  },
  {
    name: 'train --out',
    role: '--out',
    ext: null,
    inputs: () => [data(), join(data(), 'images', 'case00.nii.gz')],
    args: (o) => ['train', '--data', data(), '--rater', 'expert', '--iterations', '1', '--threads', '1', '--out', o],
  },
  {
    name: 'train --raters --out (annotators)',
    role: '--out',
    ext: null,
    inputs: () => [data()],
    args: (o) => [
      'train',
      '--data',
      data(),
      '--raters',
      'expert',
      '--mean-labels',
      '--iterations',
      '1',
      '--threads',
      '1',
      '--out',
      o,
    ],
  },
  {
    name: 'finetune --out',
    role: '--out',
    ext: null,
    inputs: () => [model(), data()],
    args: (o) => [
      'finetune',
      '--model',
      model(),
      '--data',
      data(),
      '--rater',
      'expert',
      '--samples',
      '1',
      '--way',
      '0',
      '--iterations',
      '1',
      '--threads',
      '1',
      '--out',
      o,
    ],
  },
  {
    name: 'register train --out',
    role: '--out',
    ext: null,
    inputs: () => [cine(), join(cine(), 'cine.nii.gz')],
    args: (o) => ['register', 'train', '--data', cine(), '--out', o, '--steps', '1', '--threads', '1'],
  },
  {
    name: 'propagate --out-dir (learned)',
    role: '--out-dir',
    ext: null,
    inputs: () => [cine(), join(cine(), 'cine.nii.gz'), model()],
    args: (o) => ['propagate', '--data', cine(), '--out-dir', o, '--method', 'learned', '--model', model()],
  },
  {
    name: 'audit --out',
    role: '--out',
    ext: null,
    inputs: () => [data(), join(data(), 'raters', 'expert', 'case01.nii.gz')],
    args: (o) => [
      'audit',
      '--data',
      data(),
      '--rater',
      'expert',
      '--folds',
      '2',
      '--iterations',
      '1',
      '--threads',
      '1',
      '--out',
      o,
    ],
  },
  {
    name: 'dataset import --out',
    role: '--out',
    ext: null,
    inputs: () => [at('in', 'source')],
    args: (o) => ['dataset', 'import', '--layout', 'folders', at('in', 'source'), '--out', o],
  },
  {
    name: 'simulate --out',
    role: '--out',
    ext: null,
    inputs: () => [],
    args: (o) => ['simulate', 'cardiac', '--subjects', '1', '--out', o],
  },
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One output path to try and the refusal it must get. */
interface Variant {
  out: string;
  expected: RegExp;
}

/** The output as each input: itself, a symbolic link, a hard link (files) or a folder holding it (folders); links made here. */
function variants(row: Row, n: number): Variant[] {
  const out: Variant[] = [];
  const link = (kind: string, target: string, ext: string, make: (t: string, p: string) => void): string => {
    const path = at('links', `${n}-${kind}-${out.length}${ext}`);
    make(target, path);
    return path;
  };
  for (const input of row.inputs()) {
    const isFolder = lstatSync(input).isDirectory();
    const ext = row.ext ?? (isFolder ? '' : '.nii.gz');
    const conflict =
      row.ext === null
        ? new RegExp(
            `${escape(row.role)} would write into the input ${escape(input)}; choose another output folder$`,
            'm',
          )
        : new RegExp(
            `${escape(row.role)} would overwrite the input ${escape(input)}; choose another output path$`,
            'm',
          );
    out.push({ out: input, expected: row.format !== undefined && !input.endsWith(ext) ? row.format : conflict });
    out.push({ out: link('sym', input, ext, symlinkSync), expected: conflict });
    if (!isFolder) out.push({ out: link('hard', input, ext, linkSync), expected: conflict });
  }
  if (row.ext === null) {
    const holds = new RegExp(`${escape(row.role)} holds the input .*; choose a folder outside the inputs$`, 'm');
    if (row.inputs().length > 0)
      out.push({ out: at('in'), expected: holds }, { out: link('sym', at('in'), '', symlinkSync), expected: holds });
    out.push({
      out: at('other', 'existing.txt'),
      expected: new RegExp(`${escape(row.role)} names a folder to write, but this is an existing file$`, 'm'),
    });
  }
  return out;
}

/** Every file, folder and link under `dir`, with file contents and link targets. */
function tree(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    entries[relative(dir, path)] = stat.isSymbolicLink()
      ? `-> ${readlinkSync(path)}`
      : stat.isDirectory()
        ? 'folder'
        : readFileSync(path, 'base64');
  }
  return entries;
}

/** Runs every argument list, a few at a time (the runs are independent and mostly Node's start-up). */
async function runAll(argLists: string[][]): Promise<CliResult[]> {
  const results: CliResult[] = new Array(argLists.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < argLists.length; i = next++)
      results[i] = await runCliAsync(argLists[i], { timeoutMs: 60_000 });
  };
  await Promise.all(Array.from({ length: Math.min(3, usableCpus()) }, worker));
  return results;
}

describe('no command writes over an input', () => {
  it.each(ROWS.map((row, n) => [row.name, row, n] as const))(
    '%s: refused as each input, through a symbolic and a hard link, writing nothing',
    async (_name, row, n) => {
      const cases = variants(row, n);
      const before = tree(root);
      const results = await runAll(cases.map((v) => row.args(v.out)));
      results.forEach((r, i) => expectRefused(r, cases[i].expected));
      expect(tree(root)).toEqual(before);
    },
  );

  it('control: with no output conflict the same garbage inputs are read, and refused as unreadable', async () => {
    const [r] = await runAll([
      [
        'register',
        '--fixed',
        file('fixed.nii.gz'),
        '--moving',
        file('moving.nii.gz'),
        '--field',
        fresh('field.nii.gz'),
      ],
    ]);
    expectRefused(r, /fixed\.nii\.gz: /);
    expect(r.stderr).not.toMatch(/--field/);
  });

  it('register names what it writes: --field and/or --warp with --out, each a new NIfTI path', async () => {
    const pair = ['register', '--fixed', file('fixed.nii.gz'), '--moving', file('moving.nii.gz')];
    const before = tree(root);
    const results = await runAll([
      pair,
      [...pair, '--warp', file('labels.nii.gz')],
      [...pair, '--out', fresh('warped.nii.gz')],
      [...pair, '--warp', file('labels.nii.gz'), '--out', fresh('warped.png')],
      [...pair, '--warp', file('labels.nii.gz'), '--out', fresh('same.nii.gz'), '--field', fresh('same.nii.gz')],
    ]);
    expectRefused(
      results[0],
      /^multirater: register needs --field and\/or --warp with --out \(it would write nothing\)$/m,
    );
    expectRefused(results[1], /--warp and --out go together/);
    expectRefused(results[2], /--warp and --out go together/);
    expectRefused(results[3], /warped\.png: --out must end in \.nii or \.nii\.gz/);
    expectRefused(results[4], /same\.nii\.gz: --out and --field name the same file/);
    expect(tree(root)).toEqual(before);
  });
});
