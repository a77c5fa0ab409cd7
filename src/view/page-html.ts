/** The viewer's one HTML page: layout and styles; `/viewer.js` (page/main.ts) fills it in. */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>multirater view</title>
<link rel="icon" href="data:,">
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
