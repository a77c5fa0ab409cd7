/** `multirater overlay IMAGE --labels L… --out fig.png`: a PNG montage, never written over an input. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, writeFakeVolume } from '../dataset-trees.ts';
import { runCli } from '../cli.ts';

const work = tempDir('overlay');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const image = join(work, 'image.nii.gz');
const a = join(work, 'a.nii.gz');
const b = join(work, 'b.nii.gz');
writeFakeVolume(image, { shape: [6, 5, 4], dtype: 'int16', value: (i) => (i * 7) % 50 });
writeFakeVolume(a, { shape: [6, 5, 4] });
writeFakeVolume(b, { shape: [6, 5, 4], value: (i) => (i % 3 === 0 ? 1 : 0) });

const run = (...args: string[]) => runCli('overlay', ...args);

describe('multirater overlay', () => {
  it('writes one row per slice and one column per label map after the image, as a PNG', () => {
    const out = join(work, 'fig.png');
    const r = run(image, '--labels', a, b, '--out', out, '--slices', '1,3', '--zoom', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, out, slices: [1, 3], columns: ['image', a, b] });
    const png = decode(readFileSync(out));
    // Tiles 12×10 px (6×5 voxels × zoom 2), 3 columns and 2 rows, 2 px gaps.
    expect([png.width, png.height, json.width, json.height]).toEqual([3 * 12 + 4, 2 * 10 + 2, 40, 22]);
  });

  it('refuses an output path that is an input with one line and exit 1, leaving the input intact', () => {
    const before = readFileSync(a);
    const r = run(image, '--labels', a, '--out', a);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`multirater: ${a}: --out would overwrite the input ${a}; choose another output path\n`);
    expect(readFileSync(a)).toEqual(before);
  });
});
