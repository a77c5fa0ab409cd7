import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { runDemo } from './demo.ts';

let root: string | undefined;
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('runDemo', () => {
  it('simulates, trains per rater, predicts and evaluates into a table of model and annotation rows', async () => {
    root = tempDir('demo');
    const lines: string[] = [];
    const result = await runDemo({
      out: root,
      subjects: 5,
      size: 32,
      iterations: 2,
      threads: 1,
      log: (l) => lines.push(l),
    });
    expect(result.rows.map((r) => `${r.source}:${r.rater}`)).toEqual([
      'model:expert',
      'annotations:expert',
      'model:nonexpert1',
      'annotations:nonexpert1',
    ]);
    for (const r of result.rows) expect(Object.keys(r.dice).sort()).toEqual(['LV', 'MYO', 'RV']);
    // The raters' own annotations are scored against the truth, so they are far better than chance.
    expect(result.rows[1].dice.LV).toBeGreaterThan(0.5);
    expect(readFileSync(join(root, 'results.md'), 'utf8')).toContain(result.table);
    expect(result.table.split('\n')[0]).toBe(
      '| trained on / source | Dice RV ↑ | Dice MYO ↑ | Dice LV ↑ | HD95 RV (mm) ↓ | HD95 MYO (mm) ↓ | HD95 LV (mm) ↓ | EF abs. error LV (%) ↓ | EF abs. error RV (%) ↓ |',
    );
    // The figure: rows of 32×32 px phantom slices at zoom 3, columns image, truth and the two raters' models.
    const png = decode(readFileSync(result.figure));
    expect(png.width).toBe(4 * 96 + 3 * 2);
    expect(readFileSync(join(root, 'results.md'), 'utf8')).toContain('![predictions](predictions.png)');
    expect(existsSync(join(root, 'models', 'nonexpert1', 'model.onnx'))).toBe(true);
    expect(lines.some((l) => l.includes('training a 2D U-Net on expert'))).toBe(true);
  });
});
