/**
 * report.html in real Chromium (Debian's /usr/bin/chromium through playwright-core, headless, a fresh profile; no
 * browser download): the page loads without console errors and every figure is drawn — a visible SVG with data marks
 * whose screenshot is not blank. Skipped, saying so, only where /usr/bin/chromium is missing (CI installs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_REPORT } from '../../test/study-report-sample.ts';
import { renderStudyReport } from './render-study-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`report-html-chromium.test.ts: skipped, ${CHROMIUM} is missing (apt-get install chromium)`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!hasChromium)('report.html in Chromium', () => {
  it('loads without console errors and draws every figure visibly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'multirater-report-html-'));
    const profile = mkdtempSync(join(tmpdir(), 'multirater-chromium-profile-'));
    dirs.push(out, profile);
    await renderStudyReport(SAMPLE_REPORT, out);
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
      expect(await page.title()).toBe(SAMPLE_REPORT.title);

      for (const figure of SAMPLE_REPORT.figures) {
        const svg = page.locator(`#figure-${figure.id} > svg`);
        const box = await svg.boundingBox();
        expect(box, figure.id).not.toBeNull();
        expect(box!.width, figure.id).toBeGreaterThan(100);
        expect(box!.height, figure.id).toBeGreaterThan(100);
        const marks = await svg.evaluate((el) => el.querySelectorAll('.role-mark [aria-roledescription]').length);
        expect(marks, figure.id).toBeGreaterThan(0);
        // Not blank: a good share of the rendered pixels differ from the white background.
        const png = decode(await svg.screenshot());
        const channels = png.channels;
        let inked = 0;
        for (let p = 0; p < png.width * png.height; p++)
          if (png.data[p * channels] < 200 || png.data[p * channels + 2] < 200) inked++;
        expect(inked / (png.width * png.height), figure.id).toBeGreaterThan(0.01);
      }
      const tables = await page.locator('section table').count();
      expect(tables).toBe(SAMPLE_REPORT.tables.length);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
