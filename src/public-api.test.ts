/**
 * The public surface, one snapshot per entry point of package.json's `exports` (the root `multirater` and each
 * `multirater/<folder>` subpath), read from package.json so a new subpath is snapshotted without being listed here.
 * A change of a snapshot is a change of the public API.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

const src = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};
/** Each entry point with the source file its built `default` comes from (`./dist/io/index.js` → `src/io/index.ts`). */
const entries = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, target]) => {
    if (typeof target === 'string') throw new Error(`${subpath}: expected { types, default }, found "${target}"`);
    return { subpath, target, source: join(src, target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')) };
  });

describe('public API', () => {
  it.each(entries)('$subpath exports exactly the names in the snapshot', async ({ source }) => {
    const module: Record<string, unknown> = await import(source);
    expect(Object.keys(module).sort()).toMatchSnapshot();
  });

  it('keeps the root to the task-level tier: at most 120 values', () => {
    expect(Object.keys(api).length).toBeLessThanOrEqual(120);
  });

  it('maps every subpath to its folder index, types beside the JavaScript', () => {
    for (const { subpath, target } of entries) {
      const folder = subpath === '.' ? '' : `${subpath.slice(2)}/`;
      expect(target).toEqual({ types: `./dist/${folder}index.d.ts`, default: `./dist/${folder}index.js` });
    }
  });

  it('has a subpath for every library folder with an index.ts (the CLI is not a library entry point)', () => {
    const folders = readdirSync(src)
      .filter((f) => f !== 'cli' && statSync(join(src, f)).isDirectory())
      .filter((f) => readdirSync(join(src, f)).includes('index.ts'));
    expect(
      entries
        .map((e) => e.subpath)
        .filter((s) => s !== '.')
        .sort(),
    ).toEqual(folders.map((f) => `./${f}`).sort());
  });

  it('documents every entry point: typedoc.json lists the same sources as the exports map', () => {
    const typedoc = JSON.parse(readFileSync(join(src, '..', 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    expect(typedoc.entryPoints.map((p) => join(src, '..', p))).toEqual(entries.map((e) => e.source));
  });

  it('re-exports at the root the very objects of the subpaths (a selection, not copies)', async () => {
    const bySubpath = await Promise.all(
      entries.filter((e) => e.subpath !== '.').map(async (e) => (await import(e.source)) as Record<string, unknown>),
    );
    const ownedByRoot = new Set(['MultiraterError', 'isMultiraterError', 'nn']);
    const unmatched = Object.entries(api).filter(
      ([name, value]) => !ownedByRoot.has(name) && !bySubpath.some((m) => Object.hasOwn(m, name) && m[name] === value),
    );
    expect(unmatched.map(([name]) => name)).toEqual([]);
  });

  it('exposes the neural engine as the `nn` namespace, the same module as multirater/nn', async () => {
    expect(typeof api.nn.Graph).toBe('function');
    const nn: Record<string, unknown> = await import('./nn/index.ts');
    expect(api.nn.Graph).toBe(nn.Graph);
  });
});
