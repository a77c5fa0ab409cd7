import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { checkOutputPaths } from './output-paths.ts';

const dir = tempDir('output-paths');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'in.nii.gz');
writeFileSync(input, 'x');
mkdirSync(join(dir, 'sub'));
symlinkSync(dir, join(dir, 'alias'));

describe('checkOutputPaths', () => {
  it('accepts new outputs that are neither an input nor each other', () => {
    expect(() => checkOutputPaths([join(dir, 'a.png'), join(dir, 'sub', 'a.png')], [input])).not.toThrow();
  });
  it('refuses an output that is an input, also written another way or through a linked folder', () => {
    for (const out of [input, join(dir, 'sub', '..', 'in.nii.gz'), join(dir, 'alias', 'in.nii.gz')]) {
      expect(() => checkOutputPaths([out], [input])).toThrow(`${out}: output is the input ${input}; choose another output path`);
    }
  });
  it('refuses two outputs naming the same new file', () => {
    const a = join(dir, 'out.png');
    const b = join(dir, 'alias', 'out.png');
    expect(() => checkOutputPaths([a, b], [input])).toThrow(`${b}: two outputs are the same file (${a}); choose different paths`);
  });
});
