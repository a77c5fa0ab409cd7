#!/usr/bin/env node
// The CLI, built by `npm run build` (also run by `npm ci` and `npm pack` through `prepare`) into dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
