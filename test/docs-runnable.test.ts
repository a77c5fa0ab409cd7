/**
 * The documentation's examples run, and its links resolve, so the docs cannot rot.
 *
 * A fenced block whose info string is `sh runnable` or `js runnable` (docs/README.md documents the marker) is run:
 * the blocks of one page in order, in one fresh temporary folder, `multirater` and `npx multirater` being this
 * checkout's built `bin/multirater.js` (as `npm run build` leaves it), a `js` block an ES module that imports
 * `multirater` from this checkout. A non-zero exit fails the page's test with the block and its output. Every relative
 * link (`[text](path)`, `![alt](path)`) in README.md and docs/**\/*.md must name an existing file; links out of the
 * repository (to `../shared/`, beside it) are checked when that folder is there.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './cli.ts';
import { fixturesDir } from './fixtures.ts';

const REPO = resolve(import.meta.dirname, '..');
const PAGE_TIMEOUT_MS = 180_000;

interface Block {
  lang: 'sh' | 'js';
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

/** README.md and every docs/**\/*.md, relative to the repository, sorted. */
function docPages(): string[] {
  const docs = readdirSync(join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f).split(sep).join('/'));
  return ['README.md', ...docs.sort()];
}

/** Fenced blocks of a Markdown text with their info strings and opening lines. */
function fencedBlocks(text: string): { info: string; line: number; code: string }[] {
  const blocks: { info: string; line: number; code: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ info: open[1]!.trim(), line: start + 1, code: body.join('\n') });
  }
  return blocks;
}

function runnableBlocks(text: string): Block[] {
  return fencedBlocks(text).flatMap((b) => {
    const words = b.info.split(/\s+/);
    if (!words.includes('runnable')) return [];
    if (words[0] !== 'sh' && words[0] !== 'js') throw new Error(`line ${b.line}: runnable block of "${words[0]}"`);
    return [{ lang: words[0], line: b.line, code: b.code }];
  });
}

/** Markdown link targets outside fenced blocks and inline code. */
function linkTargets(text: string): string[] {
  const prose = text
    .split('\n')
    .reduce<{ out: string[]; inFence: boolean }>(
      (acc, line) => {
        if (/^```/.test(line)) return { out: acc.out, inFence: !acc.inFence };
        if (!acc.inFence) acc.out.push(line.replace(/`[^`]*`/g, ''));
        return acc;
      },
      { out: [], inFence: false },
    )
    .out.join('\n');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

const tempRoots: string[] = [];
afterAll(() => {
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder with `multirater` on PATH and `multirater` importable, as on a checkout after `npm ci`. */
function sandbox(): { cwd: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'multirater-docs-'));
  tempRoots.push(root);
  const bin = join(root, '.bin');
  mkdirSync(bin);
  const shim = join(bin, 'multirater');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(shim, 0o755);
  const cwd = join(root, 'work');
  mkdirSync(join(cwd, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(cwd, 'node_modules', 'multirater'), 'dir');
  return { cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' } };
}

function runBlock(block: Block, index: number, cwd: string, env: NodeJS.ProcessEnv) {
  if (block.lang === 'js') {
    const file = join(cwd, `.block-${index}.mjs`);
    writeFileSync(file, block.code + '\n');
    return spawnSync(process.execPath, [file], { cwd, env, encoding: 'utf8', timeout: PAGE_TIMEOUT_MS });
  }
  const script = block.code.replace(/\bnpx multirater\b/g, 'multirater');
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: PAGE_TIMEOUT_MS,
  });
}

const pages = docPages();
const runnable = pages
  .map((page) => ({ page, blocks: runnableBlocks(readFileSync(join(REPO, page), 'utf8')) }))
  .filter((p) => p.blocks.length > 0);

describe('runnable documentation examples', () => {
  it('the README and the command pages hold runnable examples, and the marker is documented', () => {
    const withBlocks = runnable.map((p) => p.page);
    expect(withBlocks).toContain('README.md');
    expect(withBlocks.filter((p) => p.startsWith('docs/cli/')).length).toBeGreaterThanOrEqual(5);
    expect(runnable.find((p) => p.page === 'README.md')!.blocks.map((b) => b.lang)).toEqual(['sh', 'js']);
    expect(readFileSync(join(REPO, 'docs/README.md'), 'utf8')).toContain('sh runnable');
  });

  it('a failing block is reported as failing (the runner sees exit codes)', () => {
    const { cwd, env } = sandbox();
    const bad = runBlock(
      { lang: 'sh', line: 1, code: 'multirater info missing.nii.gz\necho unreachable' },
      0,
      cwd,
      env,
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).not.toContain('unreachable');
    expect(bad.stderr).toContain('missing.nii.gz');
  });

  for (const { page, blocks } of runnable) {
    it(
      `${page}: its ${blocks.length} runnable block(s) exit 0`,
      () => {
        expect(existsSync(join(REPO, 'dist/index.js')), 'dist/ is missing: run `npm run build`').toBe(true);
        const { cwd, env } = sandbox();
        blocks.forEach((block, index) => {
          const r = runBlock(block, index, cwd, env);
          const where = `${page}:${block.line} (${block.lang} block ${index + 1})`;
          expect(r.status, `${where} exited ${r.status ?? r.signal}\n${block.code}\n--- stderr\n${r.stderr}`).toBe(0);
        });
      },
      PAGE_TIMEOUT_MS * 2,
    );
  }
});

describe('documentation links', () => {
  const shared = dirname(fixturesDir());

  it('every relative link in README.md and docs/ names an existing file', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const target of linkTargets(readFileSync(join(REPO, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(REPO, dirname(page), decodeURIComponent(target.split('#')[0]!));
        const inside = !relative(REPO, path).startsWith('..');
        if (!inside && !(existsSync(shared) && path.startsWith(shared + sep))) continue;
        checked++;
        if (!existsSync(path)) broken.push(`${page}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('the README is a landing page: at most 200 lines, linking every page of docs/', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    const linked = new Set<string>();
    const visit = (page: string) => {
      if (linked.has(page)) return;
      linked.add(page);
      for (const target of linkTargets(readFileSync(join(REPO, page), 'utf8'))) {
        const path = relative(REPO, resolve(REPO, dirname(page), target.split('#')[0]!))
          .split(sep)
          .join('/');
        if (path.endsWith('.md') && pages.includes(path)) visit(path);
      }
    };
    visit('README.md');
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });
});
