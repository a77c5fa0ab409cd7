/**
 * Piped output arrives whole (issue 29 A): the bin used to exit while a pipe still held output, cutting a
 * `--json` plan at 64 KiB. For commands printing more than 1 MiB, the bytes through a pipe, through a slow reader
 * (`| (sleep 2; cat)`) and into a file are identical, and the exit code is the command's own (0, or 1 for a
 * failed check with its report).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../cli.ts';
import { tempDir } from '../dataset-trees.ts';

let work: string;
beforeAll(() => {
  work = tempDir('piped-output');
  // 20 000 cases whose files are all missing: `dataset check --json` prints a report of several MiB and exits 1.
  const cases = Array.from({ length: 20_000 }, (_, i) => ({
    id: `case${i}`,
    image: `images/case${i}.nii.gz`,
    raters: { a: `a/case${i}.nii.gz` },
  }));
  writeFileSync(
    join(work, 'dataset.json'),
    JSON.stringify({ name: 'missing', labels: { '1': 'fg' }, raters: ['a'], cases }),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `multirater args` under bash with stdout sent through `sink`; the output file's bytes and the bin's exit code. */
function through(
  args: readonly string[],
  sink: 'pipe' | 'slow' | 'file',
  name: string,
): { bytes: Buffer; code: number } {
  const out = join(work, `${name}.${sink}`);
  const command = [process.execPath, BIN, ...args].map((w) => `'${w}'`).join(' ');
  const tail = { pipe: `| cat > '${out}'`, slow: `| (sleep 2; cat) > '${out}'`, file: `> '${out}'` }[sink];
  const r = spawnSync('bash', ['-c', `${command} ${tail}; echo "\${PIPESTATUS[0]}"`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { bytes: readFileSync(out), code: Number(r.stdout.trim()) };
}

describe('output through pipes', () => {
  const commands: [string, string[], number][] = [
    ['plan-json', ['study', 'plan', 'expert-adaptation', '--preset', 'paper', '--json'], 0],
    ['plan-text', ['study', 'plan', 'expert-adaptation', '--preset', 'paper'], 0],
    ['check-json', ['dataset', 'check', '--json', ''], 1],
  ];
  for (const [name, args, code] of commands) {
    it(`${args.slice(0, 2).join(' ')} ${name}: the same bytes through a pipe, a slow reader and a file, exit ${code}`, () => {
      const argv = args.map((a) => (a === '' ? work : a));
      const file = through(argv, 'file', name);
      expect(file.code).toBe(code);
      expect(file.bytes.length).toBeGreaterThan(name === 'plan-text' ? 500_000 : 1024 * 1024);
      if (name.endsWith('json')) expect(() => JSON.parse(file.bytes.toString())).not.toThrow();
      for (const sink of ['pipe', 'slow'] as const) {
        const piped = through(argv, sink, name);
        expect(piped.code, sink).toBe(code);
        expect(piped.bytes.length, sink).toBe(file.bytes.length);
        expect(piped.bytes.equals(file.bytes), sink).toBe(true);
      }
    });
  }
});
