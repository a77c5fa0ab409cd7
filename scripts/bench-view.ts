/**
 * Time to first view of `multirater view` in headless Chromium (SwiftShader WebGL2, as the tests): for each run a
 * new page navigates to the case and the page's own clock (performance.now(), from navigation start) records when
 * the image and the file overlays are drawn (first view) and when the server-computed layers are drawn too.
 * The page bundle is prepared before the first run (as `npm run build` does); each run starts with a fresh
 * server (cold cache of computed layers). Prints JSON with medians and the 1-minute load average.
 *   npx tsx scripts/bench-view.ts DATA [--case ID] [--runs 3] [--view axial] [--gl swiftshader|llvmpipe]
 */
import { loadavg } from 'node:os';
import { launchChromium, type SoftwareGl } from '../src/view/chromium.ts';
import { pageBundle } from '../src/view/page-bundle.ts';
import { startViewer } from '../src/view/viewer-server.ts';

const data = process.argv[2];
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(flag('--runs', '3'));
const view = flag('--view', 'axial');
await pageBundle();
const gl = flag('--gl', 'swiftshader') as SoftwareGl;
const chromium = await launchChromium({ viewport: { width: 1280, height: 800 }, gl });
const results: { firstViewMs: number; allLayersMs: number; loadavg: number }[] = [];
try {
  for (let r = 0; r < runs; r++) {
    const server = await startViewer({ data, port: 0, caseId: process.argv.includes('--case') ? flag('--case', '') : undefined });
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.port}/?view=${view}&case=${encodeURIComponent(server.catalog.cases[0].id)}`);
    await page.waitForFunction('window.multiraterViewer.firstViewMs !== null', null, { timeout: 1_200_000 });
    const load = Number(loadavg()[0].toFixed(1));
    await page.waitForFunction("document.body.dataset.ready === 'all'", null, { timeout: 1_200_000 });
    const t = (await page.evaluate('({ f: window.multiraterViewer.firstViewMs, a: window.multiraterViewer.allLayersMs })')) as { f: number; a: number };
    if (errors.length) throw new Error(errors.join('; '));
    results.push({ firstViewMs: Math.round(t.f), allLayersMs: Math.round(t.a), loadavg: load });
    await page.close();
    await server.close();
  }
} finally {
  await chromium.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({ data, view, gl, runs: results, medianFirstViewMs: median(results.map((r) => r.firstViewMs)), medianAllLayersMs: median(results.map((r) => r.allLayersMs)) }, null, 2));
