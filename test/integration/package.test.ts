/**
 * The package as a user gets it: `npm pack`, install the tarball into a fresh app, import it from plain JavaScript,
 * type-check a TypeScript consumer (moduleResolution nodenext, no special flags) and run the bin with plain node.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../cli.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm with a deadline (a blocked registry must fail the test, not hang the suite). */
const npmOptions = { encoding: 'utf8', timeout: 240_000, killSignal: 'SIGKILL' } as const;
let app = '';
let tarball = '';

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'multirater-consumer-'));
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { ...npmOptions, cwd: root }),
  );
  tarball = join(app, packed[0].filename);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }),
  );
  // The consumer's own .npmrc: npm 10 runs onnxruntime-node's install script, which would fetch CUDA binaries.
  writeFileSync(join(app, '.npmrc'), 'onnxruntime-node-install=skip\n');
  execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'typescript@5', '@types/node@20'],
    { ...npmOptions, cwd: app, stdio: 'pipe' },
  );
}, 300_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the packed multirater', () => {
  it('ships the built JavaScript with declarations and no tests, scripts or CI files', () => {
    const listed: { files: { path: string }[] }[] = JSON.parse(
      execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { ...npmOptions, cwd: root }),
    );
    const paths = listed[0].files.map((f) => f.path);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('bin/multirater.js');
    expect(paths).toContain('dist/view/page/viewer.js');
    expect(paths.filter((p) => /\.test\.|^test\/|^\.ci\/|^scripts\/|^src\//.test(p))).toEqual([]);
  });

  it('imports from plain JavaScript, root and subpaths, and reads a volume it wrote', () => {
    writeFileSync(
      join(app, 'use.mjs'),
      [
        "import { createVolume, writeNifti, readNifti, evaluatePair } from 'multirater';",
        "import { boundingBox } from 'multirater/volume';",
        "import { summarize } from 'multirater/stats';",
        'const data = new Uint8Array(32); data[5] = 1; data[6] = 1;',
        'const v = createVolume([4, 4, 2], data, { spacing: [1, 1, 2] });',
        "writeNifti('v.nii.gz', v);",
        "const back = readNifti('v.nii.gz').volume;",
        'const e = evaluatePair(back, v);',
        'const box = boundingBox(back);',
        'const s = summarize([1, 2, 3, null]);',
        'console.log(JSON.stringify({ shape: back.shape, sum: back.data.reduce((a, b) => a + b, 0), dice: e.labels["1"].dice, box, mean: s.mean }));',
      ].join('\n'),
    );
    const r = runNode('use.mjs', [], { cwd: app });
    expect(r.stderr).toBe('');
    // Voxels 5 and 6 of a 4×4×2 grid (x fastest): x 1–2, y 1, z 0.
    expect(JSON.parse(r.stdout)).toEqual({
      shape: [4, 4, 2],
      sum: 2,
      dice: 1,
      box: { start: [1, 1, 0], end: [3, 2, 1] },
      mean: 2,
    });
  });

  it('refuses a deep import past the exports map (only the root and the listed subpaths are public)', () => {
    writeFileSync(join(app, 'deep.mjs'), "await import('multirater/dist/volume/crop.js');");
    const r = runNode('deep.mjs', [], { cwd: app });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a TypeScript consumer with moduleResolution nodenext and zero errors', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['use.ts'],
      }),
    );
    writeFileSync(
      join(app, 'use.ts'),
      [
        "import { readNifti, staple, nn, type Volume, type FusionResult } from 'multirater';",
        "import { crop, type Box } from 'multirater/volume';",
        "import { pairedTTest, type TTestResult } from 'multirater/stats';",
        "const v: Volume = readNifti('v.nii.gz').volume;",
        'const r: FusionResult = staple([v, v]);',
        'const g = new nn.Graph();',
        'const box: Box = { start: [0, 0, 0], end: [2, 2, 1] };',
        'const c: Volume = crop(v, box);',
        'const t: TTestResult = pairedTTest([1, 2, 3], [1, 2, 4]);',
        'console.log(v.shape, r.iterations, typeof g, c.shape, t.p);',
      ].join('\n'),
    );
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = runNode(tsc, ['-p', '.'], { cwd: app });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs the installed bin with plain node', () => {
    const r = runNode(join(app, 'node_modules', 'multirater', 'bin', 'multirater.js'), ['info', 'v.nii.gz', '--json'], {
      cwd: app,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).shape).toEqual([4, 4, 2]);
    expect(readdirSync(join(app, 'node_modules', 'multirater'))).not.toContain('src');
  });
});
