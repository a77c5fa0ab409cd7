/**
 * The page's JavaScript: `src/view/page/main.ts` with niivue bundled by esbuild into one ES module. `npm run build`
 * writes it to `dist/view/page/viewer.js` (scripts/build-viewer.mjs), so the installed package serves it with no
 * build tool; running from the TypeScript sources (tests, tsx) bundles it in memory on first use instead.
 * The entry is found from this file's folder two levels down in both trees (src/view, dist/view).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MultiraterError } from '../errors.ts';

/** Where the build puts the bundle: dist/view/page/, from this module in dist/view/ or in the CLI bundle (dist/cli-bundle/). */
export const PAGE_BUNDLE_FILE = fileURLToPath(new URL('../view/page/viewer.js', import.meta.url));
const PAGE_ENTRY = fileURLToPath(new URL('../../src/view/page/main.ts', import.meta.url));

let cached: Promise<string> | null = null;

/** The bundle's text: the built file when present, else bundled now from the sources. */
export function pageBundle(): Promise<string> {
  cached ??= existsSync(PAGE_BUNDLE_FILE) ? Promise.resolve(readFileSync(PAGE_BUNDLE_FILE, 'utf8')) : buildPageBundle();
  return cached;
}

/** Bundles the page from its sources with esbuild (a dev dependency): minified ES2022 for the browser. */
export async function buildPageBundle(): Promise<string> {
  if (!existsSync(PAGE_ENTRY))
    throw new MultiraterError('file_not_found', `${PAGE_BUNDLE_FILE}: viewer page bundle missing (run npm run build)`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
