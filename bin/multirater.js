#!/usr/bin/env node
// The CLI, built by `npm run build` (also run by `npm ci` and `npm pack` through `prepare`) into dist/.
// Exit as soon as the command is done and its output is flushed: a native thread pool or a stray handle must not
// keep a finished command (and whoever waits on it) alive, and piped output must arrive whole (exit-after-drain.ts).
import { main } from '../dist/cli/main.js';
import { exitAfterDrain } from '../dist/cli/exit-after-drain.js';

await exitAfterDrain(await main(process.argv));
