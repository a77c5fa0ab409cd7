#!/usr/bin/env node
// The CLI, built by `npm run build` (also run by `npm ci` and `npm pack` through `prepare`) into dist/.
// Exit as soon as the command is done: a native thread pool or a stray handle must not keep a finished command
// (and whoever waits on it) alive. Output to pipes and files is written synchronously on POSIX, so none is lost.
import { main } from '../dist/cli/main.js';

process.exit(await main(process.argv));
