/**
 * The local web server of `multirater view` (Node's http): the page, its bundle, the catalogue and case-table
 * JSON, and the case layers. It binds 127.0.0.1 unless told otherwise and answers only these routes; a layer URL
 * names a layer of the catalogue (view-catalog.ts), never a path, and any other request, including `..`,
 * absolute or percent-encoded paths, gets 404 with no content. A layer's file is checked again when it is asked
 * for (still the same real path, still an image), so a link swapped in after start-up is not followed.
 *
 * Host allow-list: every request's Host header must name the server — a loopback name, the bound address, or a
 * name given in `allowHosts` (on a wildcard bind, this machine's interface addresses and host name too) — so a
 * web page elsewhere cannot reach it by DNS rebinding, on loopback or on the network.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MultiraterError } from '../errors.ts';
import { sniffImage } from '../io/index.ts';
import { readAnnotatorCms } from '../annotators/index.ts';
import { ComputedLayerCache } from './computed-layers.ts';
import { pageHtml } from './page-html.ts';
import { pageBundle } from './page-bundle.ts';
import { findLayer, viewCatalog, type ViewCase, type ViewCatalog, type ViewCatalogOptions } from './view-catalog.ts';
import type { CaseDice, CatalogJson, TableJson } from './viewer-api.ts';

/** Options of `startViewer`: the catalogue's (dataset, folders), with the model as a folder, plus where to listen. */
export interface ViewerOptions extends Omit<ViewCatalogOptions, 'model'> {
  /** Annotator-CM model folder holding annotator-cms.json (annotator-cms.ts), shown beside the case. */
  model?: string;
  /** Case id to open first; default the first case. */
  caseId?: string;
  /** TCP port; default 8080; 0 picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Extra names the Host header may carry (a DNS name or address clients use to reach a non-loopback bind). */
  allowHosts?: readonly string[];
}

/** A running viewer, as `startViewer` resolves it. */
export interface ViewerServer {
  /** The page's address, with `?case=` when a case was asked for. */
  url: string;
  /** The address bound: `options.host`, default 127.0.0.1. */
  host: string;
  /** The TCP port listened on (the free one picked when `options.port` is 0). */
  port: number;
  /** What the server serves, fixed at start (view-catalog.ts). */
  catalog: ViewCatalog;
  /** True when the server listens on an address other machines can reach. */
  exposed: boolean;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Starts the viewer server over a dataset; resolves once it listens. */
export async function startViewer(options: ViewerOptions): Promise<ViewerServer> {
  const model = options.model === undefined ? null : readAnnotatorCms(options.model);
  const catalog = viewCatalog({ ...options, model });
  if (catalog.cases.length === 0)
    throw new MultiraterError('invalid_dataset', `${catalog.root}: the dataset has no cases to view`);
  const initialCase = options.caseId === undefined ? 0 : catalog.cases.findIndex((c) => c.id === options.caseId);
  if (initialCase < 0)
    throw new MultiraterError('invalid_argument', `options.caseId: no case "${options.caseId}" in ${catalog.root}`);
  const host = options.host ?? '127.0.0.1';
  const exposed = !isLoopbackAddress(host);
  const handler = requestHandler(catalog, initialCase, allowedHosts(host, options.allowHosts ?? []));
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => fail(res, e));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server, options.port ?? 8080, host);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const query = options.caseId === undefined ? '' : `?case=${encodeURIComponent(options.caseId)}`;
  return {
    url: `http://${shownHost}:${port}/${query}`,
    host,
    port,
    catalog,
    exposed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? 'is in use (try another options.port, or 0 for any free port)'
          : `cannot be bound (${e.message})`;
      reject(new MultiraterError('io_error', `${host}:${port} ${why}`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function requestHandler(catalog: ViewCatalog, initialCase: number, hosts: ReadonlySet<string>): Handler {
  const computed = new ComputedLayerCache();
  const refused = new Map(catalog.refused.map((r) => [r.url, r]));
  const catalogJson = JSON.stringify(catalogPayload(catalog, initialCase));
  const firstView = inflateCase(catalog.cases[initialCase]);
  let table: Promise<TableJson> | null = null;
  return async (req, res) => {
    const segments = requestSegments(req.url ?? '');
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      segments === null ||
      !hosts.has(hostName(req.headers.host))
    ) {
      return notFound(res);
    }
    const route = segments.join('/');
    if (route === '')
      return send(res, 'text/html; charset=utf-8', pageHtml(firstViewUrls(catalog, initialCase, req.url ?? '')));
    if (route === 'viewer.js') return send(res, 'text/javascript; charset=utf-8', await pageBundle());
    if (route === 'api/catalog') return send(res, 'application/json', catalogJson);
    if (route === 'api/table') {
      table ??= caseTable(catalog, computed);
      return send(res, 'application/json', JSON.stringify(await table));
    }
    const found = findLayer(catalog, segments);
    if (found === null) {
      const r = refused.get(`/${route}`);
      if (r !== undefined)
        process.stderr.write(`multirater view: refused ${r.url} (case "${r.caseId}", ${r.name}): ${r.reason}\n`);
      return notFound(res);
    }
    if (found.layer.file === undefined)
      return send(res, 'application/octet-stream', computed.bytes(found.viewCase, found.layer));
    const changed = changedSince(found.layer.file);
    if (changed !== null) {
      process.stderr.write(
        `multirater view: refused /${route} (case "${found.viewCase.id}", ${found.layer.name}): ${changed}\n`,
      );
      return notFound(res);
    }
    const inflated = found.viewCase === catalog.cases[initialCase] ? firstView.get(found.layer.key) : undefined;
    if (inflated !== undefined) return send(res, 'application/octet-stream', await inflated);
    const { size } = statSync(found.layer.file);
    const encoding = found.layer.gzip ? { 'content-encoding': 'gzip' } : {};
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
      ...encoding,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(found.layer.file).pipe(res);
  };
}

/**
 * The decoded path segments of a request target, or null when any segment is empty, `.` or `..`, or decodes to
 * something holding a slash, a backslash or NUL, or the target is not a plain absolute path.
 */
export function requestSegments(target: string): string[] | null {
  const path = target.split('?')[0];
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  if (path === '/') return [];
  const out: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) return null;
    out.push(s);
  }
  return out;
}

/** Why a file checked at start-up may no longer be served (now a link, moved, no longer an image), or null. */
function changedSince(file: string): string | null {
  try {
    const now = realpathSync(file);
    if (now !== file) return `${file} now leads to ${now}`;
    return sniffImage(file).dataFiles === null ? null : `${file}: NRRD header now names detached data files`;
  } catch (e) {
    return e instanceof MultiraterError ? e.message : `${file}: ${String(e)}`;
  }
}

function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\./.test(host);
}

/**
 * The names a request's Host header may carry: the loopback names, the bound address and `extra`; on a wildcard
 * bind (0.0.0.0, ::) also this machine's interface addresses and host name, which is what clients dial.
 */
export function allowedHosts(bound: string, extra: readonly string[]): Set<string> {
  const names = [...LOOPBACK_HOSTS, bound, ...extra];
  if (bound === '0.0.0.0' || bound === '::') {
    names.push(hostname());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  }
  return new Set(names.map((n) => (n.includes(':') && !n.startsWith('[') ? `[${n}]` : n).toLowerCase()));
}

/** The host part of a Host header, lower case (`[::1]` kept bracketed), or '' when absent. */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
  return name.toLowerCase();
}

/**
 * The file layers the page draws first for a page request: the background and the shown file overlays of the case
 * the URL names (`case=`, else the initial case), the shown ones from `show=` or the case's defaults; as the page
 * chooses them (page/main.ts), so its inline script can start their downloads at once.
 */
export function firstViewUrls(catalog: ViewCatalog, initialCase: number, target: string): string[] {
  const query = new URLSearchParams(target.includes('?') ? target.slice(target.indexOf('?') + 1) : '');
  const asked = query.get('case');
  const viewCase = catalog.cases.find((c) => c.id === asked) ?? catalog.cases[initialCase];
  const show = query.get('show');
  const names = new Set(show === null ? viewCase.shown : show.split(',').map((s) => s.trim()));
  const back = viewCase.layers.find((l) => l.key === viewCase.back) ?? viewCase.layers[0];
  const overlays = viewCase.layers.filter(
    (l) => l !== back && l.kind !== 'image' && l.kind !== 'cine' && l.file !== undefined,
  );
  return [back, ...overlays.filter((l) => names.has(l.key) || names.has(l.name))].map((l) => l.url);
}

const inflate = promisify(gunzip);

/**
 * The gzip files of the case the page opens first, inflated from the moment the server starts, in the background
 * (zlib's thread pool), so the page receives them ready: the browser would otherwise inflate them while it also
 * sets up WebGL (a 41 MB CT image, 0.5 s of the first view on this machine). Bounded to that one case.
 */
function inflateCase(viewCase: ViewCase): Map<string, Promise<Buffer>> {
  const out = new Map<string, Promise<Buffer>>();
  for (const layer of viewCase.layers) {
    if (layer.file === undefined || !layer.gzip) continue;
    const bytes = readFile(layer.file).then((b) => inflate(b));
    bytes.catch(() => {}); // a bad file fails its request (fail() reports it), not the server
    out.set(layer.key, bytes);
  }
  return out;
}

function catalogPayload(catalog: ViewCatalog, initialCase: number): CatalogJson {
  const { dataset, model } = catalog;
  return {
    schemaVersion: 1,
    name: dataset.name,
    labels: dataset.labels,
    raters: dataset.raters,
    initialCase,
    cases: catalog.cases.map((c) => ({
      ...c,
      layers: c.layers.map(({ key, kind, name, url }) => ({ key, kind, name, url })),
    })),
    model: model === null ? null : { raters: model.raters, labels: model.labels, matrices: model.matrices },
  };
}

/** Every case's Dice row, one case per turn of the event loop so layer requests are served in between. */
async function caseTable(catalog: ViewCatalog, computed: ComputedLayerCache): Promise<TableJson> {
  const labels = Object.keys(catalog.dataset.labels).map(Number);
  const rows: CaseDice[] = [];
  for (const c of catalog.cases) {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      rows.push(computed.dice(c, labels));
    } catch (e) {
      // One unreadable case leaves its row empty; the message goes to the terminal, the table still loads.
      process.stderr.write(`multirater view: case "${c.id}": ${e instanceof Error ? e.message : String(e)}\n`);
      rows.push({ index: c.index, reference: null, dice: {} });
    }
  }
  return { schemaVersion: 1, rows };
}

function send(res: ServerResponse, type: string, body: string | Uint8Array): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, 'cache-control': 'no-cache' });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 9 });
  res.end('not found');
}

/** A failure while answering (a bad file in the dataset): 500 with the one-line message, the server keeps running. */
function fail(res: ServerResponse, e: unknown): void {
  const message = e instanceof MultiraterError ? e.message : String(e);
  process.stderr.write(`multirater view: ${message}\n`);
  if (res.headersSent) return void res.destroy();
  const body = Buffer.from(message);
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
  res.end(body);
}
