// Writes the viewer page bundle into dist/ (after tsc): `npm run build` runs it, so the packed package serves the
// page without esbuild. See src/view/page-bundle.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildPageBundle, PAGE_BUNDLE_FILE } from '../dist/view/page-bundle.js';

const text = await buildPageBundle();
mkdirSync(dirname(PAGE_BUNDLE_FILE), { recursive: true });
writeFileSync(PAGE_BUNDLE_FILE, text);
console.log(`viewer page: ${PAGE_BUNDLE_FILE} (${(text.length / 1e6).toFixed(2)} MB)`);
