/**
 * `multirater view` end to end: the page in real headless Chromium (playwright-core driving Debian's chromium with
 * SwiftShader WebGL2), and the CLI server's clean exit on SIGINT. The browser tests skip, saying so, only when
 * /usr/bin/chromium is missing; CI installs it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM, launchChromium } from '../../src/view/chromium.ts';
import { screenshotView } from '../../src/view/screenshot-view.ts';
import { startViewer, type ViewerServer } from '../../src/view/viewer-server.ts';
import { runBin } from '../cli.ts';
import { viewTestDataset, type ViewTestDataset } from '../view-dataset.ts';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../bin/multirater.js');
const haveChromium = existsSync(DEFAULT_CHROMIUM);
if (!haveChromium)
  console.warn(`view browser tests skipped: ${DEFAULT_CHROMIUM} is missing (apt-get install chromium)`);

let fx: ViewTestDataset;
beforeAll(async () => {
  fx = await viewTestDataset();
});
afterAll(() => fx?.remove());

/** The canvas as RGBA pixels. */
async function canvasPixels(page: Page): Promise<Uint8Array> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return decode(await page.locator('#gl').screenshot()).data as Uint8Array;
}

function differingPixels(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe.skipIf(!haveChromium)('the viewer page in Chromium', () => {
  let server: ViewerServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startViewer({ data: fx.data, predictions: [fx.pred], model: fx.model, port: 0 });
    browser = await launchChromium({ viewport: { width: 1000, height: 700 } });
    page = await browser.context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}?case=${fx.caseIds[1]}`);
    await page.waitForFunction("document.body.dataset.ready === 'all'", null, { timeout: 90_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the requested case with no console errors and draws a non-blank canvas', async () => {
    expect(errors).toEqual([]);
    expect(await page.evaluate('window.multiraterViewer.caseIndex')).toBe(1);
    const pixels = await canvasPixels(page);
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    expect(colours.size).toBeGreaterThan(50);
  });

  it('changes the canvas when a rater overlay is toggled, and back when toggled again', async () => {
    const before = await canvasPixels(page);
    await page.locator('#layers li[data-key="rater-1"] input[type=checkbox]').click(); // loads it: first shown
    await page.waitForFunction("document.body.dataset.ready === 'all'", null, { timeout: 60_000 });
    const shown = await canvasPixels(page);
    expect(differingPixels(before, shown)).toBeGreaterThan(100);
    await page.keyboard.press('3'); // rater-1 is the third overlay (truth, expert, nonexpert1, …)
    expect(differingPixels(before, await canvasPixels(page))).toBe(0);
  });

  it('sorts the case table by a rater’s Dice, ascending then descending', async () => {
    await page.waitForFunction("document.querySelector('#cases tbody td.num')?.textContent !== '…'");
    const column = await page
      .locator('#cases thead th')
      .evaluateAll((ths) => ths.map((th) => th.textContent).indexOf('nonexpert1'));
    const values = () => page.locator(`#cases tbody tr td:nth-child(${column + 1})`).allTextContents();
    await page.locator('#cases thead th', { hasText: 'nonexpert1' }).click();
    const ascending = (await values()).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.locator('#cases thead th', { hasText: 'nonexpert1' }).click();
    const descending = (await values()).map(Number);
    expect(descending).toEqual([...ascending].reverse());
    expect(new Set(ascending).size).toBeGreaterThan(1);
  });

  it('moves the slice with the arrow keys and reads the labels under the cursor', async () => {
    const slice = () => page.locator('#slice').inputValue();
    const start = Number(await slice());
    await page.keyboard.press('ArrowDown');
    expect(Number(await slice())).toBe(start - 1);
    const box = (await page.locator('#gl').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const readout = await page.locator('#readout').textContent();
    expect(readout).toMatch(/^voxel \d+, \d+, \d+ {2}· {2}world -?[\d.]+, -?[\d.]+, -?[\d.]+ mm/);
    expect(readout).toMatch(/expert: \d+ (background|RV|MYO|LV)/);
  });

  it('switches to the multiplanar view and back', async () => {
    const axial = await canvasPixels(page);
    await page.locator('#slice-type').selectOption('multiplanar');
    expect(differingPixels(axial, await canvasPixels(page))).toBeGreaterThan(1000);
    await page.locator('#slice-type').selectOption('axial');
    expect(differingPixels(axial, await canvasPixels(page))).toBe(0);
  });

  it('shows another cine frame with the frame slider (the 4D cine replaces the 3D image)', async () => {
    expect(await page.locator('#frame-box').isHidden()).toBe(false);
    const before = await canvasPixels(page);
    const other = (Number(await page.locator('#frame').inputValue()) + 1) % 4;
    await page.evaluate(
      `(() => { const s = document.querySelector('#frame'); s.value = '${other}'; s.dispatchEvent(new Event('input')); })()`,
    );
    await page.waitForFunction(`document.querySelector('#frame-text').textContent.startsWith('${other + 1}/4')`, null, {
      timeout: 60_000,
    });
    expect(differingPixels(before, await canvasPixels(page))).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });

  it('shows the annotator-CM model’s matrices as heat maps, one cell per label pair', async () => {
    expect(
      await page.locator('#cms table.cm').evaluateAll((ts) => ts.map((t) => t.getAttribute('data-rater'))),
    ).toEqual(['expert', 'nonexpert1']);
    expect(await page.locator('#cms table[data-rater="expert"] td').count()).toBe(16);
    expect(
      await page.locator('#cms table[data-rater="expert"] tr').first().locator('td').first().getAttribute('title'),
    ).toBe('P(expert says background | truth background) = 0.9700');
  });

  it('opens the next case in table order with n', async () => {
    const order = await page
      .locator('#cases tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-index'))));
    const at = order.indexOf(await page.evaluate('window.multiraterViewer.caseIndex'));
    await page.keyboard.press('n');
    expect(await page.evaluate('window.multiraterViewer.caseIndex')).toBe(order[(at + 1) % order.length]);
    await page.waitForFunction("document.body.dataset.ready === 'all'", null, { timeout: 60_000 });
    expect(errors).toEqual([]);
  });
});

describe('multirater view (CLI)', () => {
  it('prints the URL, serves the page and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'view', fx.data, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (m) resolveUrl(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<canvas id="gl">');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('multirater view: stopped\n');
  });

  it('warns that a non-loopback --host exposes the data, and names the files it will not serve', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'view', fx.data, '--port', '0', '--host', '0.0.0.0', '--allow-root', fx.pred],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((ready, reject) => {
      child.stdout.on('data', (d) => String(d).includes('Ctrl-C') && ready());
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`multirater view: serving the dataset's files from ${fx.data}, ${fx.pred}`);
    expect(lines[1]).toMatch(
      /^multirater view: warning: bound to 0\.0\.0\.0: the dataset's images and labels are readable by anyone who can reach this machine on port \d+$/,
    );
  });

  it('--screenshot past its --timeout: one line naming the case and how far the page got, exit 1, no PNG', () => {
    const out = `${fx.work}/late.png`;
    const r = runBin(['view', fx.data, '--screenshot', out, '--case', fx.caseIds[0], '--timeout', '0.001']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^multirater: case "${fx.caseIds[0]}": not drawn within 0.001 s \\(.*\\); a larger --timeout gives it longer\n$`,
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('names the missing Chromium for --screenshot', async () => {
    await expect(
      screenshotView({
        data: fx.data,
        caseId: fx.caseIds[0],
        out: `${fx.work}/x.png`,
        executablePath: `${fx.work}/no-chromium`,
      }),
    ).rejects.toMatchObject({
      code: 'file_not_found',
      message: expect.stringContaining('no-chromium: cannot start Chromium'),
    });
    expect(existsSync(`${fx.work}/x.png`)).toBe(false);
  });
});
