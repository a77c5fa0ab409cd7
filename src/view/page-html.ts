/**
 * The viewer's one HTML page: layout and styles; `/viewer.js` (page/main.ts) fills it in.
 *
 * An inline script starts the downloads of the first view before the 2 MB page bundle has even arrived. Layer
 * bytes come through a worker: a fetch read on the page's thread stalls while that thread is busy (niivue's WebGL
 * set-up blocks it for a second or more in software WebGL, and a response body only flows as it is read), so a
 * large image would only start downloading after the set-up. The worker reads whole bodies meanwhile (the browser
 * inflates gzip content encoding) and hands each buffer over without a copy. `window.multiraterFetchBytes(url)`
 * is what the page uses for every layer; the URLs the server names are already on their way.
 */

const FETCH_WORKER = `onmessage = async (event) => {
  const { id, url } = event.data;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ': ' + response.status + ' ' + (await response.text()));
    const buffer = await response.arrayBuffer();
    postMessage({ id, buffer }, [buffer]);
  } catch (error) {
    postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};`;

function fetchScript(prefetch: readonly string[]): string {
  return `(() => {
  const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(FETCH_WORKER)}], { type: 'text/javascript' })));
  const pending = new Map();
  let next = 0;
  worker.onmessage = (event) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    if (reply.error === undefined) waiting.resolve(reply.buffer);
    else waiting.reject(new Error(reply.error));
  };
  const fetchBytes = (url) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, url: new URL(url, location.href).href });
  });
  const early = new Map(${JSON.stringify(prefetch)}.map((url) => [url, fetchBytes(url)]));
  for (const bytes of early.values()) bytes.catch(() => {});
  window.multiraterFetchBytes = (url) => {
    const bytes = early.get(url);
    early.delete(url);
    return bytes ?? fetchBytes(url);
  };
})();`.replace(/</g, '\\u003c');
}

/** The page, its inline script downloading `prefetch` (layer URLs of the first view) at once. */
export function pageHtml(prefetch: readonly string[]): string {
  return PAGE_HTML.replace('<!--fetch-->', `<script>${fetchScript(prefetch)}</script>`);
}

const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>multirater view</title>
<link rel="icon" href="data:,">
<!--fetch-->
<style>
  :root { color-scheme: dark; font: 13px/1.35 system-ui, sans-serif; }
  body { margin: 0; display: grid; grid-template-columns: minmax(420px, max-content) 1fr; grid-template-rows: auto 1fr auto; height: 100vh; background: #111; color: #ddd; }
  header { grid-column: 1 / 3; display: flex; gap: 12px; align-items: center; padding: 6px 10px; background: #1c1c1c; border-bottom: 1px solid #333; flex-wrap: wrap; }
  header h1 { font-size: 14px; margin: 0 8px 0 0; }
  header label { display: flex; gap: 4px; align-items: center; }
  aside { overflow: auto; border-right: 1px solid #333; padding: 6px; max-width: 50vw; }
  main { position: relative; min-height: 0; }
  #gl { width: 100%; height: 100%; display: block; }
  footer { grid-column: 1 / 3; padding: 4px 10px; background: #1c1c1c; border-top: 1px solid #333; font-family: ui-monospace, monospace; font-size: 12px; min-height: 1.4em; white-space: pre-wrap; }
  h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #999; margin: 10px 0 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: 2px 4px; text-align: left; white-space: nowrap; }
  #cases { font-size: 12px; } #cases th, #cases td { padding: 1px 3px; }
  #cases th { cursor: pointer; user-select: none; background: #222; position: sticky; top: 0; }
  #cases th[data-dir="asc"]::after { content: " ▲"; } #cases th[data-dir="desc"]::after { content: " ▼"; }
  #cases tbody tr { cursor: pointer; } #cases tbody tr:hover { background: #2a2a2a; }
  #cases tbody tr.current { background: #264f78; }
  #case-box { max-height: 38vh; overflow: auto; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  #layers li { list-style: none; display: flex; gap: 6px; align-items: center; padding: 1px 0; }
  #layers { padding: 0; margin: 0; } #layers .hotkey { color: #888; width: 1.2em; }
  #layers input[type=range] { width: 70px; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 3px; }
  #legend span { margin-right: 8px; white-space: nowrap; }
  .cm { display: inline-block; margin: 0 8px 8px 0; vertical-align: top; }
  .cm td { width: 18px; height: 18px; padding: 0; text-align: center; font-size: 9px; color: #000; }
  .cm caption { font-size: 11px; text-align: left; }
  kbd { border: 1px solid #555; border-radius: 3px; padding: 0 3px; font-size: 11px; }
  .muted { color: #888; }
</style>
</head>
<body>
<header>
  <h1 id="title">multirater view</h1>
  <label>view <select id="slice-type">
    <option value="axial">axial</option><option value="coronal">coronal</option>
    <option value="sagittal">sagittal</option><option value="multiplanar">multiplanar</option>
  </select></label>
  <label>slice <input id="slice" type="range" min="0" max="0" value="0"><span id="slice-text" class="muted"></span></label>
  <label id="frame-box" hidden>frame <input id="frame" type="range" min="0" max="0" value="0"><span id="frame-text" class="muted"></span></label>
  <label><input id="outline" type="checkbox"> outlines</label>
  <span class="muted"><kbd>←</kbd><kbd>→</kbd> slice · <kbd>1</kbd>–<kbd>9</kbd> overlay · <kbd>n</kbd>/<kbd>p</kbd> case</span>
</header>
<aside>
  <h2>Cases</h2>
  <div id="case-box"><table id="cases"><thead></thead><tbody></tbody></table></div>
  <h2>Overlays</h2>
  <ul id="layers"></ul>
  <div id="legend"></div>
  <div id="model" hidden><h2>Annotator confusion matrices</h2><div id="cms"></div></div>
</aside>
<main><canvas id="gl"></canvas></main>
<footer id="readout"> </footer>
<script type="module" src="/viewer.js"></script>
</body>
</html>
`;
