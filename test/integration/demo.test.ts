/** `multirater demo` (what `npm start` runs) end to end at a tiny size: simulate, train per rater, predict, evaluate. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, runCli } from '../cli.ts';

/** `multirater demo` at a tiny size: 5 subjects of 32×32, 2 iterations per model, one thread. */
const tinyDemo = (out: string) => argv`demo --out ${out} --subjects 5 --size 32 --iterations 2 --threads 1`;

describe('multirater demo', () => {
  it('refuses an --out that is an existing file, or a path through one, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-demo-file-'));
    try {
      const file = join(dir, 'results.txt');
      writeFileSync(file, 'x');
      const r = runCli(...tinyDemo(file));
      expect([r.code, r.stderr]).toEqual([
        1,
        `multirater: ${file}: --out names a folder to write, but this is an existing file\n`,
      ]);
      const below = runCli(...tinyDemo(join(file, 'sub')));
      expect([below.code, below.stderr]).toEqual([
        1,
        `multirater: ${join(file, 'sub')}: cannot create the output folder (a part of the path is an existing file)\n`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints one row per rater model and per rater annotation as JSON, and writes results.md', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-demo-cli-'));
    try {
      const r = runCli(...tinyDemo(dir), '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.schemaVersion).toBe(1);
      expect(out.rows.map((row: { source: string; rater: string }) => `${row.source}:${row.rater}`)).toEqual([
        'model:expert',
        'annotations:expert',
        'model:nonexpert1',
        'annotations:nonexpert1',
      ]);
      expect(existsSync(join(dir, 'results.md'))).toBe(true);
      expect(r.stderr).toContain('training a 2D U-Net on nonexpert1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
