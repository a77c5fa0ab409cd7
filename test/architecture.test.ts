/**
 * The module map of DESIGN.md, held by a test (issue 26): a folder of `src/` is used from outside only through its
 * `index.ts`; a folder imports only folders earlier in `LAYERS` (the flow of DESIGN's data-flow diagram); folders
 * form no cycle. Production files only (tests may reach into what they test); static `import`/`export … from` and
 * dynamic `import()` both count. `checkArchitecture` is pure, so the test of the test plants each violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer order. The root files (`errors.ts`, `cores.ts`, and `index.ts`, the public API, which may import every
 * folder) sit outside it. Two places differ from the order DESIGN's module table is written in, because the code's
 * flow does: `augment/` comes before `data/` (batches are augmented as they are drawn), and `report/` before
 * `experiments/` (a study's report hands its tables to `report/`).
 */
export const LAYERS = [
  'random',
  'volume',
  'stats',
  'io',
  'datasets',
  'phantom',
  'raters',
  'fusion',
  'metrics',
  'evaluation',
  'nn',
  'models',
  'losses',
  'augment',
  'data',
  'train',
  'predict',
  'annotators',
  'registration',
  'audit',
  'report',
  'experiments',
  'view',
  'bench',
  'cli',
] as const;
/** Folders that import nothing of ours but `random/` and the root files (DESIGN: the engine and the basics). */
const BASE = new Set(['random', 'volume', 'stats', 'nn']);
const ROOT_FILES = new Set(['errors.ts', 'cores.ts']);

export interface Violation {
  file: string;
  specifier: string;
  rule: 'index' | 'layer' | 'base' | 'cycle' | 'unknown-folder';
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^;'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The violations in `files` (path relative to src/ → source text). */
export function checkArchitecture(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  const edges = new Map<string, Set<string>>();
  const rank = (folder: string): number => (LAYERS as readonly string[]).indexOf(folder);
  for (const [file, text] of files) {
    const parts = file.split('/');
    const from = parts.length === 1 ? null : parts[0];
    for (const m of text.matchAll(SPECIFIER)) {
      const specifier = (m[1] ?? m[2]) as string;
      const target = relative('/src', resolve('/src', dirname(file), specifier))
        .split(sep)
        .join('/');
      if (target.startsWith('..')) continue;
      const tParts = target.split('/');
      const to = tParts.length === 1 ? null : tParts[0];
      if (to === from) continue;
      if (to === null) {
        if (!ROOT_FILES.has(target.replace(/\.js$/, '.ts'))) out.push({ file, specifier, rule: 'index' });
        continue;
      }
      if (from === null) {
        if (!/^[^/]+\/index\.(ts|js)$/.test(target)) out.push({ file, specifier, rule: 'index' });
        continue;
      }
      if (rank(from) < 0 || rank(to) < 0) {
        out.push({ file, specifier, rule: 'unknown-folder' });
        continue;
      }
      if (!/^[^/]+\/index\.(ts|js)$/.test(target)) out.push({ file, specifier, rule: 'index' });
      if (BASE.has(from) && to !== 'random') out.push({ file, specifier, rule: 'base' });
      else if (rank(to) > rank(from)) out.push({ file, specifier, rule: 'layer' });
      (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  // Folder cycles (depth-first search; each cycle reported once, at the edge that closes it).
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string): void => {
    state.set(f, 'open');
    for (const g of edges.get(f) ?? []) {
      if (state.get(g) === 'open') out.push({ file: `${f}/`, specifier: `${g}/`, rule: 'cycle' });
      else if (!state.has(g)) visit(g);
    }
    state.set(f, 'done');
  };
  for (const f of [...edges.keys()].sort()) if (!state.has(f)) visit(f);
  return out;
}

/** src/'s production files: every .ts but tests and the browser page (bundled separately). */
function sourceFiles(): Map<string, string> {
  const src = resolve(import.meta.dirname, '../src');
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== join(src, 'view', 'page') && e.name !== '__snapshots__') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
        files.set(relative(src, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(src);
  return files;
}

describe('the module map of DESIGN.md', () => {
  it('src/ keeps it: index boundaries, layer order, no folder cycles', () => {
    const files = sourceFiles();
    const crossing = [...files].flatMap(([f, t]) =>
      [...t.matchAll(SPECIFIER)].filter((m) => (m[1] ?? m[2] ?? '').startsWith('../')).map(() => f),
    );
    expect(crossing.length, 'the scan sees the cross-folder imports').toBeGreaterThan(500);
    const violations = checkArchitecture(files);
    expect(violations.map((v) => `${v.rule}: ${v.file} → ${v.specifier}`)).toEqual([]);
  });

  it('every folder of src/ is in LAYERS and has an index.ts', () => {
    const src = resolve(import.meta.dirname, '../src');
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== '__snapshots__')
      .map((e) => e.name);
    expect(folders.filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([]);
    // cli/ is the top: nothing imports it, so it has no index.
    expect(folders.filter((f) => f !== 'cli' && !readdirSync(join(src, f)).includes('index.ts'))).toEqual([]);
  });

  it('fails on each planted violation (a test of the test)', () => {
    const clean = new Map([
      [
        'metrics/dice.ts',
        "import { createVolume } from '../volume/index.ts';\nimport { MultiraterError } from '../errors.ts';",
      ],
      ['volume/index.ts', "export { createVolume } from './volume.ts';"],
      ['cli/eval.ts', "const { evaluate } = await import('../metrics/index.ts');"],
    ]);
    expect(checkArchitecture(clean)).toEqual([]);
    const planted = (file: string, text: string): Violation['rule'][] =>
      checkArchitecture(new Map([...clean, [file, text]])).map((v) => v.rule);
    expect(planted('metrics/hausdorff.ts', "import { edt } from '../volume/distance-transform.ts';")).toEqual([
      'index',
    ]);
    expect(planted('cli/eval.ts', "const { x } = await import('../metrics/dice.ts');")).toEqual(['index']);
    expect(planted('volume/crop.ts', "import type { Dice } from '../metrics/index.ts';")).toEqual(['base', 'cycle']);
    expect(planted('fusion/staple.ts', "import { dice } from '../metrics/index.ts';")).toEqual(['layer']);
    expect(planted('raters/x.ts', "import { a } from '../nowhere/index.ts';")).toEqual(['unknown-folder']);
    // a cycle between two folders that each respect the index rule
    const cycle = checkArchitecture(
      new Map([
        ['fusion/a.ts', "import { b } from '../metrics/index.ts';"],
        ['metrics/b.ts', "import { a } from '../fusion/index.ts';"],
      ]),
    );
    expect(cycle.map((v) => v.rule).sort()).toEqual(['cycle', 'layer']);
  });
});
