import { readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, writeFakeVolume } from '../../test/dataset-trees.ts';
import { expectOneLineError } from '../../test/expect-error.ts';
import { writeOverlayFigure } from './write-overlay-figure.ts';

const work = tempDir('overlay-lib');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const image = join(work, 'image.nii.gz');
const labels = join(work, 'labels.nii.gz');
writeFakeVolume(image, { shape: [6, 5, 4], dtype: 'int16', value: (i) => i % 50 });
writeFakeVolume(labels, { shape: [6, 5, 4] });

describe('writeOverlayFigure', () => {
  it('cuts across i with square pixels: columns j, one row per k slice', () => {
    const out = join(work, 'sagittal.png');
    const r = writeOverlayFigure({ image, labels: [labels], out, axis: 0, zoom: 1 });
    // Slices at ¼, ½, ¾ of 6; tiles 5×4 px, 2 columns and 3 rows, 2 px gaps.
    expect(r).toEqual({ out, width: 12, height: 16, slices: [1, 3, 4], columns: ['image', labels] });
    expect(decode(readFileSync(out)).width).toBe(12);
  });

  it('refuses an output that is an input reached through a link', () => {
    const link = join(work, 'link.png');
    symlinkSync(labels, link);
    expectOneLineError(
      () => writeOverlayFigure({ image, labels: [labels], out: link }),
      link,
      'output_conflict',
      /options.out would overwrite the input .*labels\.nii\.gz/,
    );
  });

  it('writes only .png, and nothing at all when the figure fails', () => {
    expectOneLineError(
      () => writeOverlayFigure({ image, labels: [], out: join(work, 'fig.nii.gz') }),
      'fig.nii.gz',
      'unsupported_format',
      /overlay figures are PNG files/,
    );
    expect(() => writeOverlayFigure({ image, labels: [labels], out: join(work, 'bad.png'), slices: [9] })).toThrow(
      'slice index 9 is outside 0–3 on axis 2 of 6×5×4',
    );
    expect(readdirSync(work).filter((f) => f.startsWith('bad') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a label map on another grid, naming both files', () => {
    const other = join(work, 'other.nii.gz');
    writeFakeVolume(other, { shape: [6, 5, 3] });
    expectOneLineError(
      () => writeOverlayFigure({ image, labels: [other], out: join(work, 'x.png') }),
      other,
      'grid_mismatch',
      /grid 6×5×3 differs from 6×5×4 of .*image\.nii\.gz/,
    );
  });
});
