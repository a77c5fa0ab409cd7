/**
 * `multirater view --screenshot FILE --case ID`: serves the dataset on a free loopback port, opens the page in
 * headless Chromium, waits until every layer of the case is drawn and writes the page as PNG (atomically). The PNG
 * may be none of the files it shows (the dataset's, or those in the prediction, audit and model folders), also
 * through a link: checked before the server starts.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { assertOutputsDistinct, filesUnder } from '../io/index.ts';
import { launchChromium } from './chromium.ts';
import { startViewer, type ViewerOptions } from './viewer-server.ts';

/** Options of `screenshotView`: the viewer's (dataset, folders, case) plus what to draw and how long to wait. */
export interface ScreenshotViewOptions extends Omit<ViewerOptions, 'port' | 'host'> {
  /** PNG file to write. */
  out: string;
  /** View: axial (default), coronal, sagittal or multiplanar. */
  view?: string;
  /** Layer keys or names to show (default: the first rater and the disagreement). */
  show?: readonly string[];
  /** Label outlines instead of filled labels; default false. */
  outline?: boolean;
  /** Page size in CSS pixels; default 1280×800. */
  viewport?: {
    /** Page width, CSS pixels. */
    width: number;
    /** Page height, CSS pixels. */
    height: number;
  };
  /** Chromium executable; default /usr/bin/chromium. */
  executablePath?: string;
  /** Longest wait for the page to load and draw every layer, in ms; default 120000. */
  timeoutMs?: number;
}

/** What `screenshotView` wrote, and how long the page took to draw it. */
export interface ScreenshotViewResult {
  /** The PNG written: `options.out` as given. */
  file: string;
  /** The case drawn: `options.caseId`, else the dataset's first case. */
  caseId: string;
  /** Milliseconds from navigation to the first view (the page's own clock); null when the page did not record it. */
  firstViewMs: number | null;
  /** Milliseconds from navigation until every layer of the case was drawn; null when the page did not record it. */
  allLayersMs: number | null;
}

/** Page expressions (strings: this module is compiled without the DOM types). True once every layer is drawn or the page failed. */
export const PAGE_DONE = "document.body.dataset.ready === 'all' || (window.multiraterViewer?.errors.length ?? 0) > 0";
const PAGE_STATE =
  '({ errors: window.multiraterViewer.errors, firstViewMs: window.multiraterViewer.firstViewMs, allLayersMs: window.multiraterViewer.allLayersMs })';

/** Renders one case's view headless to PNG. */
export async function screenshotView(options: ScreenshotViewOptions): Promise<ScreenshotViewResult> {
  if (!options.out.toLowerCase().endsWith('.png'))
    throw new MultiraterError('invalid_argument', `${options.out}: options.out must name a .png file`);
  const folders = [
    ...(options.predictions ?? []),
    ...(options.audits ?? []),
    ...(options.model === undefined ? [] : [options.model]),
  ];
  assertOutputsDistinct(
    [['options.out', options.out]],
    [...datasetInputs(loadDataset(options.data)), ...folders.flatMap(filesUnder)],
  );
  const server = await startViewer({ ...options, port: 0, host: '127.0.0.1' });
  const caseId = options.caseId ?? server.catalog.cases[0].id;
  const chromium = await launchChromium({ executablePath: options.executablePath, viewport: options.viewport }).catch(
    async (e) => {
      await server.close();
      throw e;
    },
  );
  const tmp = `${options.out}.tmp-${process.pid}.png`;
  try {
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const query = new URLSearchParams({
      case: caseId,
      view: options.view ?? 'axial',
      outline: options.outline ? '1' : '0',
    });
    if (options.show !== undefined) query.set('show', options.show.join(','));
    const timeout = options.timeoutMs ?? 120_000;
    // One deadline for navigation and drawing together, so --timeout bounds the whole wait.
    const deadline = Date.now() + timeout;
    const left = () => Math.max(1, deadline - Date.now());
    try {
      await page.goto(`http://127.0.0.1:${server.port}/?${query}`, { timeout: left() });
      await page.waitForFunction(PAGE_DONE, null, { timeout: left() });
    } catch (e) {
      if ((e as Error).name !== 'TimeoutError') throw e;
      const stage = (await page.evaluate('document.body?.dataset.ready ?? null').catch(() => null)) as string | null;
      const reached =
        stage === 'view'
          ? 'its first view was drawn, not every layer'
          : stage === null
            ? 'the page had not loaded'
            : 'not even its first view was drawn';
      throw new MultiraterError(
        'runtime_error',
        `case "${caseId}": not drawn within ${timeout / 1000} s (${reached}); a larger options.timeoutMs gives it longer`,
      );
    }
    const state = (await page.evaluate(PAGE_STATE)) as {
      errors: string[];
      firstViewMs: number | null;
      allLayersMs: number | null;
    };
    if (state.errors.length > 0 || errors.length > 0) {
      throw new MultiraterError(
        'runtime_error',
        `case "${caseId}": the viewer page failed: ${[...state.errors, ...errors].join('; ')}`,
      );
    }
    writeFileSync(tmp, await page.screenshot({ type: 'png' }));
    renameSync(tmp, options.out);
    return { file: options.out, caseId, firstViewMs: state.firstViewMs, allLayersMs: state.allLayersMs };
  } finally {
    rmSync(tmp, { force: true });
    await chromium.close();
    await server.close();
  }
}
