import { linkSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import {
  assertFolderOutput,
  assertFolderOutsideInputs,
  assertNiftiOutput,
  assertOutputsDistinct,
  filesUnder,
} from './output-paths.ts';

const dir = tempDir('output-paths');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'in.nii.gz');
writeFileSync(input, 'x');
mkdirSync(join(dir, 'sub'));
symlinkSync(dir, join(dir, 'alias'));
linkSync(input, join(dir, 'hard.nii.gz'));

describe('assertOutputsDistinct', () => {
  it('accepts new outputs that are neither an input nor each other', () => {
    expect(() =>
      assertOutputsDistinct(
        [
          ['options.out', join(dir, 'a.png')],
          ['options.prob', join(dir, 'sub', 'a.png')],
        ],
        [input],
      ),
    ).not.toThrow();
  });

  it('refuses an output that is an input, also written another way, through a linked folder or as a hard link', () => {
    for (const out of [
      input,
      join(dir, 'sub', '..', 'in.nii.gz'),
      join(dir, 'alias', 'in.nii.gz'),
      join(dir, 'hard.nii.gz'),
    ]) {
      expect(() => assertOutputsDistinct([['options.out', out]], [input])).toThrow(
        `${out}: options.out would overwrite the input ${input}; choose another output path`,
      );
    }
  });

  it('refuses two outputs naming the same new file', () => {
    const a = join(dir, 'out.png');
    const b = join(dir, 'alias', 'out.png');
    expect(() =>
      assertOutputsDistinct(
        [
          ['options.out', a],
          ['options.prob', b],
        ],
        [input],
      ),
    ).toThrow(`${b}: options.prob and options.out name the same file; give each output its own path`);
  });
});

describe('output kinds', () => {
  it('accepts .nii and .nii.gz image outputs only', () => {
    expect(() => assertNiftiOutput('options.out', 'a.nii')).not.toThrow();
    expect(() => assertNiftiOutput('options.out', 'a.NII.GZ')).not.toThrow();
    expect(() => assertNiftiOutput('options.out', 'p.png')).toThrow('p.png: options.out must end in .nii or .nii.gz');
  });

  it('refuses a folder output that is an existing file', () => {
    expect(() => assertFolderOutput('options.out', input)).toThrow(
      `${input}: options.out names a folder to write, but this is an existing file`,
    );
    expect(() => assertFolderOutput('options.out', join(dir, 'sub'))).not.toThrow();
  });
});

describe('assertFolderOutsideInputs', () => {
  const data = join(dir, 'sub');

  it('accepts a new folder beside the inputs, or inside an input folder', () => {
    expect(() => assertFolderOutsideInputs('options.out', join(dir, 'new'), [data, input])).not.toThrow();
    expect(() => assertFolderOutsideInputs('options.out', join(data, 'predictions'), [data, input])).not.toThrow();
  });

  it('refuses an input folder or file, also through a linked folder or as a hard link', () => {
    for (const [out, named] of [
      [data, data],
      [join(dir, 'alias', 'sub'), data],
      [input, input],
      [join(dir, 'hard.nii.gz'), input],
    ]) {
      expect(() => assertFolderOutsideInputs('options.out', out, [data, input])).toThrow(
        `${out}: options.out would write into the input ${named}; choose another output folder`,
      );
    }
  });

  it('refuses a folder holding an input, also through a link', () => {
    for (const out of [dir, join(dir, 'alias')]) {
      expect(() => assertFolderOutsideInputs('options.out', out, [data])).toThrow(
        `${out}: options.out holds the input ${data}; choose a folder outside the inputs`,
      );
    }
  });

  it('refuses an existing file that is no input as assertFolderOutput does', () => {
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'y');
    expect(() => assertFolderOutsideInputs('options.out', other, [data])).toThrow(
      `${other}: options.out names a folder to write, but this is an existing file`,
    );
  });
});

describe('filesUnder', () => {
  it('lists the files of a folder and its subfolders, none for a file or a missing path', () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'deep'), { recursive: true });
    writeFileSync(join(tree, 'a.nii.gz'), 'a');
    writeFileSync(join(tree, 'deep', 'b.json'), 'b');
    expect(filesUnder(tree).sort()).toEqual([join(tree, 'a.nii.gz'), join(tree, 'deep', 'b.json')]);
    expect(filesUnder(input)).toEqual([]);
    expect(filesUnder(join(dir, 'missing'))).toEqual([]);
  });
});
