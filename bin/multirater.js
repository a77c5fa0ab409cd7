#!/usr/bin/env node
// The CLI, built by `npm run build` (also run by `npm ci` and `npm pack` through `prepare`) into dist/.
// Exit as soon as the command is done and its output is flushed: a native thread pool or a stray handle must not
// keep a finished command (and whoever waits on it) alive, and piped output must arrive whole (exit-after-drain.ts).
// Node ≥ 22.1 keeps compiled code between runs (module.enableCompileCache, in the OS temp folder); on Node 20, which
// has no compile cache for ES modules, start-up is kept short by loading only the command run (cli/main.ts), from
// the CLI bundle (scripts/build-cli.mjs): a few files per command instead of dist/'s module per source file.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/cli-bundle/main.js');
const { exitAfterDrain } = await import('../dist/cli-bundle/exit-after-drain.js');
await exitAfterDrain(await main(process.argv));
