/** `multirater view`: the browser viewer over a dataset (until Ctrl-C), or one view rendered to PNG. */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { MultiraterError } from '../errors.ts';
import { integer, positiveInteger, positiveNumber } from './parse-number.ts';
import { printJson } from './output.ts';
import { runWithFlags } from './option-flags.ts';
import type { ViewCatalog } from '../view/index.ts';

interface ViewFlags {
  pred: string[];
  audit: string[];
  fused: string[];
  model?: string;
  case?: string;
  port: string;
  host: string;
  allowRoot: string[];
  allowHost: string[];
  open?: boolean;
  screenshot?: string;
  view?: string;
  show?: string;
  outline?: boolean;
  size?: string;
  chromium?: string;
  timeout?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
/** Library options whose flags have other names (`timeoutMs` is `--timeout` in seconds). */
const VIEW_FLAGS = { caseId: '--case', timeoutMs: '--timeout', out: '--screenshot' };

/**
 * Adds `multirater view` to `program`: `startViewer` until Ctrl-C, or with `--screenshot` `screenshotView` to one PNG.
 */
export function registerView(program: Command): void {
  program
    .command('view')
    .description('browse a dataset in the browser: raters, truth, fused labels, predictions and rater disagreement')
    .argument('<data>', 'dataset folder (holding dataset.json) or the dataset.json file')
    .option('--pred <dir>', 'prediction folder with <caseId>.nii.gz (repeatable)', collect, [])
    .option(
      '--audit <dir>',
      'multirater audit output: its suspicious regions and departures per case (repeatable)',
      collect,
      [],
    )
    .option(
      '--fused <method>',
      'fusion method the server runs per case, e.g. staple, majority (repeatable)',
      collect,
      [],
    )
    .option('--model <dir>', 'annotator-CM model outputs: a folder holding annotator-cms.json')
    .option('--case <id>', 'case to open first')
    .option('--port <n>', 'TCP port (0 = any free port)', '8080')
    .option(
      '--host <address>',
      'address to bind (default this machine only); another address makes the data readable on the network',
      '127.0.0.1',
    )
    .option(
      '--allow-host <name>',
      'with --host: a name clients use in the Host header besides the address (repeatable)',
      collect,
      [],
    )
    .option(
      '--allow-root <dir>',
      "folder whose files may be served besides the dataset's own, e.g. the source of a `dataset import` without --copy (repeatable)",
      collect,
      [],
    )
    .option('--open', 'open the page in the default browser')
    .option('--screenshot <file>', 'render the case headless to this PNG and exit (needs Chromium and playwright-core)')
    .option('--view <name>', 'with --screenshot: axial | coronal | sagittal | multiplanar', 'axial')
    .option('--show <layers>', 'with --screenshot: comma-separated layers to show (names or keys)')
    .option('--outline', 'with --screenshot: label outlines instead of filled labels')
    .option('--size <WxH>', 'with --screenshot: page size in CSS pixels', '1280x800')
    .option('--chromium <path>', 'with --screenshot: Chromium executable', '/usr/bin/chromium')
    .option('--timeout <s>', 'with --screenshot: longest wait for the page to draw every layer, seconds (default 120)')
    .option('--json', 'with --screenshot: print the result as JSON')
    .action(async (data: string, flags: ViewFlags) => {
      const common = {
        data,
        predictions: flags.pred,
        audits: flags.audit,
        fused: flags.fused,
        model: flags.model,
        caseId: flags.case,
        allowRoots: flags.allowRoot,
      };
      if (flags.screenshot !== undefined) return screenshot(common, flags, flags.screenshot);
      const port = integer('--port', flags.port);
      if (port < 0 || port > 65535)
        throw new MultiraterError('invalid_argument', `--port must be 0–65535, got "${flags.port}"`);
      const { startViewer } = await import('../view/index.ts');
      const server = await runWithFlags(VIEW_FLAGS, () =>
        startViewer({ ...common, port, host: flags.host, allowHosts: flags.allowHost }),
      );
      const { catalog } = server;
      reportContainment(catalog);
      if (server.exposed) {
        process.stderr.write(
          `multirater view: warning: bound to ${flags.host}: the dataset's images and labels are readable by anyone who can reach this machine on port ${server.port}\n`,
        );
      }
      // Ctrl-C and SIGTERM are handled before the URL is printed: whoever reads it may stop the server at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(
        `multirater view: ${catalog.dataset.name}, ${catalog.cases.length} cases — ${server.url}  (Ctrl-C to stop)\n`,
      );
      if (flags.open) openInBrowser(server.url);
      await stopped;
      process.stderr.write('multirater view: stopped\n');
    });
}

/**
 * Start-up lines when containment matters: the folders the dataset's files are served from (when the user added
 * any) and the files refused (at most five named, then a count).
 */
function reportContainment(catalog: ViewCatalog): void {
  const { refused } = catalog;
  if (catalog.roots.length > 1)
    process.stderr.write(`multirater view: serving the dataset's files from ${catalog.roots.join(', ')}\n`);
  if (refused.length === 0) return;
  for (const r of refused.slice(0, 5))
    process.stderr.write(`multirater view: not served: case "${r.caseId}", ${r.name}: ${r.reason}\n`);
  if (refused.length > 5)
    process.stderr.write(`multirater view: not served: ${refused.length - 5} more file(s) of the same kind\n`);
  process.stderr.write(
    'multirater view: a dataset whose files live in another folder needs --allow-root DIR naming it\n',
  );
}

async function screenshot(
  common: {
    data: string;
    predictions: string[];
    audits: string[];
    fused: string[];
    model?: string;
    caseId?: string;
    allowRoots: string[];
  },
  flags: ViewFlags,
  out: string,
) {
  if (flags.case === undefined) throw new MultiraterError('invalid_argument', '--screenshot needs --case ID');
  const size = /^(\d+)x(\d+)$/.exec(flags.size ?? '');
  if (size === null)
    throw new MultiraterError('invalid_argument', `--size expects WxH, e.g. 1280x800, got "${flags.size}"`);
  const viewport = { width: positiveInteger('--size', size[1]), height: positiveInteger('--size', size[2]) };
  const { screenshotView } = await import('../view/index.ts');
  const show = flags.show
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const timeoutMs = flags.timeout === undefined ? undefined : 1000 * positiveNumber('--timeout', flags.timeout);
  const result = await runWithFlags(VIEW_FLAGS, () =>
    screenshotView({
      ...common,
      out,
      view: flags.view,
      show,
      outline: flags.outline,
      viewport,
      executablePath: flags.chromium,
      timeoutMs,
    }),
  );
  if (flags.json) return printJson(result);
  process.stdout.write(
    `${result.file}: case ${result.caseId}, first view ${ms(result.firstViewMs)}, all layers ${ms(result.allLayersMs)}\n`,
  );
}

function ms(v: number | null): string {
  return v === null ? 'n/a' : `${(v / 1000).toFixed(2)} s`;
}

/** Best effort: the platform's URL opener, detached; the printed URL is the fallback. */
function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`multirater view: could not start ${command}; open ${url} yourself\n`));
  child.unref();
}
