// Bundles the CLI into dist/cli-bundle/ (after tsc): `npm run build` runs it, and bin/multirater.js loads it.
// One ES module per command, code shared between commands in chunks: a command reads a handful of files instead of
// the 60–170 modules of dist/ and node_modules/, and esbuild's tree shaking drops what the folder barrels (index.ts)
// and the packages export but the command never calls. Node 20 has no compile cache for ES modules, so this is
// where its start-up goes (measured by scripts/bench-startup.ts). The library (dist/index.js and the subpaths) stays
// tsc's output, module per file.
//
// The bundle sits two folders below the package root like every dist/<folder>/<file>.js, so the modules' paths
// relative to import.meta.url (package.json, scripts/peers/, dist/view/page/) resolve the same; the processes a
// command starts (job processes, the cardiac simulator's threads) are entry points of their own, found beside the
// chunk that starts them (siblingModule). meta.json is esbuild's metafile: which sources each output file holds
// (test/integration/module-loading.test.ts reads it).
import { writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const OUT = 'dist/cli-bundle';
const EXTERNAL = [
  'onnxruntime-node',
  'protobufjs',
  'bullmq',
  'ioredis',
  'vega',
  'vega-lite',
  'playwright-core',
  'esbuild',
  'tsx',
  'mnist',
];
const result = await esbuild.build({
  entryPoints: {
    main: 'src/cli/main.ts',
    'exit-after-drain': 'src/cli/exit-after-drain.ts',
    'job-process': 'src/experiments/job-process.ts',
    'simulate-cardiac-worker': 'src/raters/simulate-cardiac-worker.ts',
  },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled: the small pure-JS packages every command start needs (commander, nifti-reader-js and the part of fflate
  // it uses, zod, csv-parse, fast-png). Left as imports: native code, the packages loaded on demand (ONNX Runtime,
  // BullMQ, Redis, Vega, the browser, esbuild), and mnist, whose data files are read beside its own module.
  external: EXTERNAL,
  // commander is CommonJS: its `require`s of Node's modules need a require in an ES module.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  chunkNames: 'chunk-[hash]',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(`${OUT}/meta.json`, JSON.stringify(result.metafile));
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`cli bundle: ${OUT} (${outputs.length} files)`);
