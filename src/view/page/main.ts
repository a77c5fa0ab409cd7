/**
 * The viewer page: niivue (WebGL2) shows a case's image with its truth, raters, predictions, fused labels and the
 * server's disagreement and STAPLE maps as overlays. The image and the file layers load first (the first view);
 * computed layers follow. URL parameters: `case` (id), `view` (axial | coronal | sagittal | multiplanar), `show`
 * (comma-separated layer keys or names to show instead of the default: the first rater and the disagreement),
 * `outline` (1: label outlines). `window.multiraterViewer` exposes the state for tests and screenshots;
 * `document.body.dataset.ready` becomes "view" after the first view, "all" when every shown layer is drawn, and
 * "loading" while a layer shown for the first time is fetched.
 */
import { Niivue, NVImage as NVImageClass } from '@niivue/niivue';
import type { CaseJson, CatalogJson, LayerJson, TableJson } from '../viewer-api.ts';
import { CaseTable } from './case-table.ts';
import { renderCmHeatmaps } from './cm-heatmaps.ts';
import { REGION_CODES } from '../../audit/region-codes.ts';
import { auditColormap, countColormap, labelColormap, percentColormap } from './label-colors.ts';
import { renderLayerPanel, renderLegend, toggleLayer, type LayerState } from './layer-panel.ts';
import { isViewName, Navigation, setFrame } from './navigation.ts';
import { tuneForSlices } from './slice-only.ts';
import type { NVImage, ViewerLocation } from './niivue-types.ts';

const LABEL_KINDS = new Set(['truth', 'rater', 'prediction', 'fused']);
const BACKGROUND_KINDS = new Set(['image', 'cine']);

/** What tests and `--screenshot` read. */
interface ViewerState {
  caseIndex: number;
  /** Milliseconds from navigation start to the first view of the first case. */
  firstViewMs: number | null;
  /** Milliseconds from navigation start until every layer of the first case was loaded. */
  allLayersMs: number | null;
  /** Milliseconds from navigation start to each stage of opening the first case (scripts/bench-view.ts prints them). */
  stages: Record<string, number>;
  layers: () => { key: string; visible: boolean; loaded: boolean }[];
  errors: string[];
}

declare global {
  interface Window {
    multiraterViewer: ViewerState;
    /** Layer bytes through the page's download worker, started by the HTML's inline script (page-html.ts). */
    multiraterFetchBytes: (url: string) => Promise<ArrayBuffer>;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

let catalog: CatalogJson;
let table: CaseTable | null = null;
let states: LayerState[] = [];
let background: NVImage | null = null;
let generation = 0;
let maxLabel = 1;
/** Frame of the open case's labels on the time axis (4D files open there). */
let frame4D = 0;

const nv = new Niivue({
  backColor: [0, 0, 0, 1],
  isColorbar: false,
  logLevel: 'error',
  dragAndDropEnabled: false,
  multiplanarShowRender: 0,
  isNearestInterpolation: true,
  crosshairColor: [1, 1, 1, 0.5],
  crosshairWidth: 0.2,
  crosshairWidthUnit: 'percent',
  isOrientCube: false,
  loadingText: '',
});
const navigation = new Navigation(nv, $<HTMLInputElement>('slice'), $('slice-text'));
const viewer: ViewerState = {
  caseIndex: -1,
  firstViewMs: null,
  allLayersMs: null,
  stages: {},
  layers: () => states.map((s) => ({ key: s.layer.key, visible: s.visible, loaded: s.volume !== null })),
  errors: [],
};
window.multiraterViewer = viewer;

async function boot(): Promise<void> {
  stage('script');
  // WebGL set-up (niivue compiles some forty shaders, blocking the page for a second or more in software WebGL)
  // runs while the catalogue request is in flight; the first view's downloads already run in the inline script's
  // worker (page-html.ts).
  const catalogRequest = getJson('/api/catalog');
  await nv.attachToCanvas($<HTMLCanvasElement>('gl'));
  tuneForSlices(nv);
  stage('webgl');
  nv.onLocationChange = (loc) => showLocation(loc as ViewerLocation);
  wireControls();
  catalog = (await catalogRequest) as CatalogJson;
  stage('catalog');
  maxLabel = Math.max(1, ...Object.keys(catalog.labels).map(Number));
  $('title').textContent = catalog.name;
  renderLegend($('legend'), catalog.labels);
  if (catalog.model) {
    $('model').hidden = false;
    renderCmHeatmaps($('cms'), catalog.model);
  }
  const caseTable = new CaseTable({
    table: $<HTMLTableElement>('cases'),
    cases: catalog.cases,
    raters: catalog.raters,
    onOpen: (i) => void openCase(i),
  });
  table = caseTable;
  const requested = catalog.cases.findIndex((c) => c.id === params.get('case'));
  // The table's Dice come after the first case is drawn: computing them reads every case on the server.
  await openCase(requested >= 0 ? requested : catalog.initialCase);
  caseTable.setDice(((await getJson('/api/table')) as TableJson).rows);
}

function wireControls(): void {
  const sliceType = $<HTMLSelectElement>('slice-type');
  const view = params.get('view');
  if (isViewName(view)) sliceType.value = view;
  navigation.setView(isViewName(sliceType.value) ? sliceType.value : 'axial');
  sliceType.addEventListener('change', () => isViewName(sliceType.value) && navigation.setView(sliceType.value));
  const outline = $<HTMLInputElement>('outline');
  outline.checked = params.get('outline') === '1';
  nv.opts.atlasOutline = outline.checked ? 1 : 0;
  outline.addEventListener('change', () => {
    nv.opts.atlasOutline = outline.checked ? 1 : 0;
    for (const s of states) if (s.volume !== null) labelColours(s, s.volume);
    nv.updateGLVolume();
  });
  $<HTMLInputElement>('frame').addEventListener(
    'input',
    () => void showFrame(Number($<HTMLInputElement>('frame').value)),
  );
  window.addEventListener('keydown', onKey, { capture: true });
}

function onKey(e: KeyboardEvent): void {
  if (e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
  let handled = true;
  if (e.key === 'ArrowUp' || e.key === 'ArrowRight') navigation.step(1);
  else if (e.key === 'ArrowDown' || e.key === 'ArrowLeft') navigation.step(-1);
  else if (/^[1-9]$/.test(e.key)) toggleLayer(states, Number(e.key) - 1, applyLayer);
  else if ((e.key === 'n' || e.key === 'p') && table !== null) {
    const order = table.order();
    const at = order.indexOf(viewer.caseIndex);
    const next = order[(at + (e.key === 'n' ? 1 : order.length - 1)) % order.length];
    void openCase(next);
  } else handled = false;
  if (handled) {
    e.preventDefault();
    e.stopPropagation();
  }
}

/** Opens case `index`: the first view (image + file layers), then the computed layers. */
async function openCase(index: number): Promise<void> {
  const c = catalog.cases[index];
  const mine = ++generation;
  viewer.caseIndex = index;
  table?.setCurrent(index);
  document.body.dataset.ready = '';
  const back = c.layers.find((l) => l.key === c.back) ?? c.layers[0];
  const overlays = c.layers.filter((l) => l !== back && !BACKGROUND_KINDS.has(l.kind));
  const shown = requestedLayers(c, overlays);
  states = renderLayerPanel(overlays, (l) => shown.has(l), {
    list: $<HTMLUListElement>('layers'),
    onChange: applyLayer,
  });
  // niivue re-blends every overlay into one 3D texture whenever a volume is added, so only the shown layers load
  // now (file layers for the first view, then computed ones); a hidden layer loads when it is first shown.
  const fileLayers = states.filter((s) => s.visible && !isComputed(s.layer));
  frame4D = c.timeIndex;
  const [backVolume, ...fileVolumes] = await loadImages([
    { url: back.url, colormap: 'gray', frame4D },
    ...fileLayers.map((s) => volumeOptions(s)),
  ]);
  stage('decoded');
  if (mine !== generation) return;
  background = backVolume;
  fileLayers.forEach((s, i) => attach(s, fileVolumes[i]));
  showVolumes([backVolume, ...fileVolumes]);
  stage('blended');
  setupFrameSlider(c);
  navigation.sync();
  markReady('view', 'firstViewMs');
  const computed = states.filter((s) => s.visible && s.volume === null);
  if (computed.length > 0) {
    const volumes = await loadImages(computed.map((s) => volumeOptions(s)));
    if (mine !== generation) return;
    computed.forEach((s, i) => attach(s, volumes[i]));
    showVolumes([...nv.volumes, ...volumes]);
  }
  markReady('all', 'allLayersMs');
}

/** Fetches and decodes volumes without handing them to niivue (which would re-blend all layers once per volume). */
function loadImages(options: ReturnType<typeof volumeOptions>[]): Promise<NVImage[]> {
  return Promise.all(
    options.map(async (o) => {
      const buffer = await window.multiraterFetchBytes(o.url);
      stage(`fetched ${o.url}`);
      return NVImageClass.loadFromUrl({ ...o, buffer, name: o.url.slice(o.url.lastIndexOf('/') + 1) });
    }),
  );
}

/** Makes `volumes` (background first) niivue's layers and blends them once: one pass per layer. */
function showVolumes(volumes: NVImage[]): void {
  nv.volumes = volumes;
  nv.setVolume(volumes[0], 0);
}

/** Loads a layer shown for the first time; `ready` is "loading" meanwhile. */
async function loadLayer(s: LayerState): Promise<void> {
  const mine = generation;
  s.loading = true;
  document.body.dataset.ready = 'loading';
  const [volume] = await loadImages([volumeOptions(s)]);
  s.loading = false;
  if (mine !== generation) return;
  attach(s, volume);
  showVolumes([...nv.volumes, volume]);
  if (!states.some((t) => t.loading)) markReady('all', 'allLayersMs');
}

function isComputed(layer: LayerJson): boolean {
  return layer.kind === 'disagreement' || layer.kind === 'staple' || layer.kind === 'fused';
}

/** Layers to show: the `show` parameter's keys or names, else the case's defaults (the server's `shown`). */
function requestedLayers(c: CaseJson, overlays: LayerJson[]): Set<LayerJson> {
  const asked = params.get('show');
  const names = new Set(asked === null ? c.shown : asked.split(',').map((s) => s.trim()));
  return new Set(overlays.filter((l) => names.has(l.key) || names.has(l.name)));
}

function volumeOptions(s: LayerState): {
  url: string;
  colormap?: string;
  opacity?: number;
  cal_min?: number;
  cal_max?: number;
  frame4D?: number;
} {
  const { layer } = s;
  const opacity = s.visible ? s.opacity : 0;
  if (layer.kind === 'cm-diagonal') return { url: layer.url, colormap: 'plasma', opacity, cal_min: 0, cal_max: 1 };
  return { url: layer.url, opacity, frame4D };
}

/** Binds a loaded volume to its layer: label colours and opacity (drawn by the caller's one updateGLVolume). */
function attach(s: LayerState, volume: NVImage): void {
  s.volume = volume;
  // Integer maps go through label colour tables (niivue's cheapest overlay path), the counts and percentages too.
  labelColours(s, volume);
  if (s.layer.kind === 'disagreement')
    volume.setColormapLabel(countColormap(Math.max(1, catalog.cases[viewer.caseIndex].raters.length - 1)));
  if (s.layer.kind === 'staple') volume.setColormapLabel(percentColormap());
  if (s.layer.kind === 'audit') volume.setColormapLabel(auditColormap(REGION_CODES));
  volume.opacity = s.visible ? s.opacity : 0;
}

/**
 * Label maps get dataset.json's label colours, filled or (outline mode) with transparent insides: niivue then draws
 * only their borders, which it does for NIfTI label intent (NIFTI_INTENT_LABEL = 1002) alone.
 */
function labelColours(s: LayerState, volume: NVImage): void {
  if (!LABEL_KINDS.has(s.layer.kind)) return;
  volume.setColormapLabel(
    labelColormap(catalog.labels, Math.max(maxLabel, volume.global_max ?? 0), nv.opts.atlasOutline === 0),
  );
  if (volume.hdr) volume.hdr.intent_code = 1002;
}

function applyLayer(s: LayerState): void {
  if (s.volume === null) {
    if (s.visible && !s.loading) loadLayer(s).catch(report);
    return;
  }
  nv.setOpacity(nv.volumes.indexOf(s.volume), s.visible ? s.opacity : 0);
}

function setupFrameSlider(c: CaseJson): void {
  const frames = Math.max(c.frames ?? 1, background?.nFrame4D ?? 1);
  const box = $('frame-box');
  box.hidden = frames < 2;
  const slider = $<HTMLInputElement>('frame');
  slider.max = String(frames - 1);
  slider.value = String(c.timeIndex);
  $('frame-text').textContent = frames > 1 ? `${c.timeIndex + 1}/${frames} (labels at ${c.timeIndex + 1})` : '';
}

/** Frame `t`: on the 4D volumes, after swapping the 3D image for the case's cine the first time. */
async function showFrame(t: number): Promise<void> {
  const c = catalog.cases[viewer.caseIndex];
  const cine = c.layers.find((l) => l.kind === 'cine');
  if (cine !== undefined && (background?.nFrame4D ?? 1) < 2) {
    const mine = generation;
    const [volume] = await loadImages([{ url: cine.url, colormap: 'gray' }]);
    if (mine !== generation) return;
    const old = background;
    showVolumes([volume, ...nv.volumes.filter((v) => v !== old)]);
    background = volume;
  }
  setFrame(nv, t);
  const frames = Number($<HTMLInputElement>('frame').max) + 1;
  $('frame-text').textContent = `${t + 1}/${frames} (labels at ${c.timeIndex + 1})`;
}

function showLocation(loc: ViewerLocation): void {
  const f = (xs: ArrayLike<number>, d: number) =>
    Array.from(xs)
      .slice(0, 3)
      .map((x) => x.toFixed(d))
      .join(', ');
  const parts = [`voxel ${f(loc.vox, 0)}`, `world ${f(loc.mm, 1)} mm`];
  for (const value of loc.values) {
    if (background && value.id === background.id) parts.push(`image ${formatNumber(value.value)}`);
    const s = states.find((st) => st.volume?.id === value.id);
    if (s === undefined || !s.visible) continue;
    parts.push(`${s.layer.name}: ${layerValue(s.layer, value.value)}`);
  }
  $('readout').textContent = parts.join('  ·  ');
  navigation.sync();
}

function layerValue(layer: LayerJson, v: number): string {
  if (LABEL_KINDS.has(layer.kind))
    return v === 0 ? '0 background' : `${v} ${catalog.labels[String(v)] ?? '(undecided)'}`;
  if (layer.kind === 'staple') return (v / 100).toFixed(2);
  if (layer.kind === 'disagreement') return `${v} differ`;
  if (layer.kind === 'audit')
    return v === 0
      ? '0 not suspicious'
      : `${v} ${Object.entries(REGION_CODES).find(([, code]) => code === v)?.[0] ?? '?'}`;
  return formatNumber(v);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

/** Records the first time the page reaches `name`. */
function stage(name: string): void {
  viewer.stages[name] ??= Math.round(performance.now());
}

function markReady(stage: 'view' | 'all', field: 'firstViewMs' | 'allLayersMs'): void {
  nv.drawScene();
  requestAnimationFrame(() => {
    viewer[field] ??= performance.now();
    document.body.dataset.ready = stage;
  });
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

function report(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  viewer.errors.push(message);
  $('readout').textContent = `error: ${message}`;
  console.error(message);
}

boot().catch(report);
