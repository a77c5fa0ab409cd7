/**
 * Time to first view of `multirater view` as a new user meets it: every run starts the CLI's server (`node
 * bin/multirater.js view DATA --port 0`, the built package: run `npm run build` first) and a new headless Chromium
 * with a fresh profile (SwiftShader WebGL2, as the tests; no shader cache), then opens the case. The page's own
 * clock (performance.now(), from navigation start) records when the image and the file overlays are drawn (first
 * view) and when the server-computed layers are drawn too. Prints JSON with medians, the 1-minute load average and
 * each run's stage times (window.multiraterViewer.stages: script parsed, catalog, WebGL ready, each file fetched,
 * decoded, blended).
 * `--warm`: one Chromium for every run, as a user whose browser is already open: each run is a new server (a new
 * origin, so nothing comes from the HTTP cache) in a new tab, after one unmeasured warm-up run; what stays warm is
 * the browser's compiled-shader cache.
 *   npx tsx scripts/bench-view.ts DATA [--case ID] [--runs 5] [--view axial] [--gl swiftshader|llvmpipe] [--warm]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium, type SoftwareGl } from '../src/view/chromium.ts';

const data = process.argv[2];
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(flag('--runs', '5'));
const view = flag('--view', 'axial');
const caseId = process.argv.includes('--case') ? flag('--case', '') : null;
const gl = flag('--gl', 'swiftshader') as SoftwareGl;
const warm = process.argv.includes('--warm');
const bin = fileURLToPath(new URL('../bin/multirater.js', import.meta.url));

/** Starts `multirater view` and resolves with the URL it prints, and a stop function (SIGINT, as Ctrl-C). */
function startCli(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [bin, 'view', data, '--port', '0', ...(caseId === null ? [] : ['--case', caseId])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) resolve({ url, stop: () => (child.kill('SIGINT'), exited) });
    });
    child.on('exit', (code) => reject(new Error(`multirater view exited (${code}) before printing its URL`)));
  });
}

type Browser = Awaited<ReturnType<typeof launchChromium>>;
const results: { firstViewMs: number; allLayersMs: number; loadavg: number; stages: Record<string, number> }[] = [];
const shared: Browser | null = warm ? await launchChromium({ viewport: { width: 1280, height: 800 }, gl }) : null;
for (let r = warm ? -1 : 0; r < runs; r++) {
  const cli = await startCli();
  const chromium = shared ?? (await launchChromium({ viewport: { width: 1280, height: 800 }, gl }));
  try {
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = new URL(cli.url);
    url.searchParams.set('view', view);
    await page.goto(url.href);
    await page.waitForFunction('window.multiraterViewer.firstViewMs !== null', null, { timeout: 1_200_000 });
    const load = Number(loadavg()[0].toFixed(1));
    await page.waitForFunction("document.body.dataset.ready === 'all'", null, { timeout: 1_200_000 });
    const t = (await page.evaluate(
      '({ f: window.multiraterViewer.firstViewMs, a: window.multiraterViewer.allLayersMs, s: window.multiraterViewer.stages })',
    )) as { f: number; a: number; s: Record<string, number> };
    if (errors.length) throw new Error(errors.join('; '));
    await page.close();
    if (r >= 0)
      results.push({ firstViewMs: Math.round(t.f), allLayersMs: Math.round(t.a), loadavg: load, stages: t.s });
  } finally {
    if (shared === null) await chromium.close();
    await cli.stop();
  }
}
await shared?.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify(
    {
      data,
      view,
      gl,
      warm,
      runs: results,
      medianFirstViewMs: median(results.map((r) => r.firstViewMs)),
      medianAllLayersMs: median(results.map((r) => r.allLayersMs)),
    },
    null,
    2,
  ),
);
