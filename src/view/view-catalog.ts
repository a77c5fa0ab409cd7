/**
 * What `multirater view` may show, fixed when the server starts: per case its layers (image, cine, truth, raters,
 * prediction folders, audit regions, fused and computed overlays), each with the URL the page loads it from. The URLs name
 * layers, never file-system paths (`/data/<case index>/<layer key>.nii`), so a request can reach only the files
 * the dataset, the prediction folders and the model name, whatever it contains. Files are resolved through
 * symlinks once here; a layer whose file is missing is left out.
 */
import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { loadDataset, resolveCasePath, type Case, type Dataset } from '../datasets/dataset.ts';
import { FUSION_METHODS } from '../fusion/builtins.ts';
import type { AnnotatorCms } from './annotator-cms.ts';
import type { CaseJson, LayerJson, LayerKind } from './viewer-api.ts';

/** A layer with what only the server knows. */
export interface ViewLayer extends LayerJson {
  /** The file served, absolute and symlink-free; absent for layers the server computes. */
  file?: string;
  /** The file is gzip: sent as `Content-Encoding: gzip` under a `.nii` URL, so the browser inflates it natively. */
  gzip?: boolean;
  /** For kind `fused`: the fusion method the server runs. */
  method?: string;
  /** For kind `cm-diagonal`: the annotator whose per-pixel CM diagonal this is. */
  rater?: string;
}

export type ViewCase = CaseJson<ViewLayer>;

export interface ViewCatalogOptions {
  /** Dataset folder (holding dataset.json) or the dataset.json file. */
  data: string;
  /** Prediction folders holding `<caseId>.nii.gz`; shown under the folder's name. */
  predictions?: readonly string[];
  /**
   * `multirater audit` output folders: each case's suspicious regions (`regions/<caseId>.nii.gz`) and departures
   * from the other raters (`departures/<caseId>.nii.gz`), shown under the folder's name.
   */
  audits?: readonly string[];
  /** Fusion methods the server runs per case on the case's raters (names from the fusion registry). */
  fused?: readonly string[];
  /** An annotator-CM model read by `readAnnotatorCms`, or null. */
  model?: AnnotatorCms | null;
}

export interface ViewCatalog {
  dataset: Dataset;
  /** Folder of dataset.json. */
  root: string;
  cases: ViewCase[];
  model: AnnotatorCms | null;
}

const SERVED_EXTENSIONS = ['.nii.gz', '.nii', '.nrrd'];
/** The per-case maps of an audit folder (src/audit/audit.ts). */
const AUDIT_PARTS = ['regions', 'departures'] as const;

/** Builds the catalogue; throws for an unknown fusion method or a missing prediction folder. */
export function viewCatalog(options: ViewCatalogOptions): ViewCatalog {
  const { dataset, root } = loadDataset(options.data);
  const predictions = (options.predictions ?? []).map((dir) => {
    const abs = resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new MultiraterError('file_not_found', `${dir}: prediction folder not found`);
    return { dir: abs, name: basename(abs) };
  });
  const audits = (options.audits ?? []).map((dir) => {
    const abs = resolve(dir);
    if (!AUDIT_PARTS.some((part) => existsSync(join(abs, part)))) throw new MultiraterError('file_not_found', `${dir}: not a multirater audit folder (no regions/ or departures/)`);
    return { dir: abs, name: basename(abs) };
  });
  const fused = (options.fused ?? []).map((m) => {
    if (!FUSION_METHODS.has(m as never)) {
      throw new MultiraterError('invalid_argument', `--fused: unknown method "${m}" (expected ${[...FUSION_METHODS.keys()].join(', ')})`);
    }
    return m;
  });
  const model = options.model ?? null;
  const cases = dataset.cases.map((c, index) => viewCase(c, index, root, predictions, audits, fused, model));
  return { dataset, root, cases, model };
}

function viewCase(
  c: Case,
  index: number,
  root: string,
  predictions: readonly { dir: string; name: string }[],
  audits: readonly { dir: string; name: string }[],
  fused: readonly string[],
  model: AnnotatorCms | null,
): ViewCase {
  const layers: ViewLayer[] = [];
  const file = (key: string, kind: LayerKind, name: string, path: string | undefined, extra: Partial<ViewLayer> = {}) => {
    const served = path === undefined ? null : servedFile(path);
    if (served) layers.push({ key, kind, name, url: `/data/${index}/${key}${served.extension}`, file: served.file, gzip: served.gzip, ...extra });
  };
  file('image', 'image', 'image', c.image && resolveCasePath(root, c.image));
  file('cine', 'cine', 'cine', c.meta.cine && resolveCasePath(root, c.meta.cine));
  file('truth', 'truth', 'truth', c.truth && resolveCasePath(root, c.truth));
  Object.keys(c.raters).forEach((r, i) => file(`rater-${i}`, 'rater', r, resolveCasePath(root, c.raters[r])));
  const raters = layers.filter((l) => l.kind === 'rater').map((l) => l.name);
  predictions.forEach((p, i) => file(`pred-${i}`, 'prediction', p.name, join(p.dir, `${c.id}.nii.gz`)));
  audits.forEach((a, i) => AUDIT_PARTS.forEach((part) => file(`audit-${i}-${part}`, 'audit', `${a.name} ${part}`, join(a.dir, part, `${c.id}.nii.gz`))));
  if (raters.length >= 2) {
    for (const m of fused) layers.push({ key: `fused-${m}`, kind: 'fused', name: `fused ${m}`, url: `/data/${index}/fused-${m}.nii`, method: m });
    layers.push({ key: 'disagreement', kind: 'disagreement', name: 'disagreement', url: `/data/${index}/disagreement.nii` });
    layers.push({ key: 'staple', kind: 'staple', name: 'STAPLE p(fg)', url: `/data/${index}/staple.nii` });
  }
  const diagonals = model?.diagonals[c.id] ?? {};
  Object.entries(diagonals).forEach(([rater, path], i) => file(`cmdiag-${i}`, 'cm-diagonal', `CM diagonal ${rater}`, path, { rater }));
  const back = layers.find((l) => l.kind === 'image') ?? layers.find((l) => l.kind === 'cine') ?? layers[0];
  const firstRater = layers.find((l) => l.kind === 'rater') ?? layers.find((l) => l.kind === 'truth');
  const shown = layers.filter((l) => l !== back && (l === firstRater || l.kind === 'disagreement')).map((l) => l.key);
  const meta = c.meta;
  const frames = typeof meta.frames === 'number' ? meta.frames : null;
  const timeIndex = meta.timeIndex ?? (typeof meta.frameIndex === 'number' ? meta.frameIndex : 0);
  return {
    index,
    id: c.id,
    split: meta.split ?? null,
    group: meta.group ?? null,
    vendor: meta.vendor ?? null,
    frame: meta.frame === undefined ? null : String(meta.frame),
    timeIndex,
    frames,
    raters,
    layers,
    back: back?.key ?? '',
    shown,
  };
}

/**
 * The file behind a dataset path, symlinks resolved, with the extension it is served under; null when absent.
 * NIfTI files that start with the gzip magic are served as `.nii` with gzip content encoding (the browser's native
 * inflate is several times faster than niivue's JavaScript one on a large CT).
 */
function servedFile(path: string): { file: string; extension: string; gzip: boolean } | null {
  const extension = SERVED_EXTENSIONS.find((e) => path.toLowerCase().endsWith(e));
  if (extension === undefined || !existsSync(path)) return null;
  const file = realpathSync(path);
  if (!statSync(file).isFile()) return null;
  if (extension === '.nrrd') return { file, extension, gzip: false };
  const magic = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, magic, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return { file, extension: '.nii', gzip: magic[0] === 0x1f && magic[1] === 0x8b };
}

/** The layer a request path names (`/data/<index>/<key><ext>`), or null: the only way from a URL to a file. */
export function findLayer(catalog: ViewCatalog, segments: readonly string[]): { viewCase: ViewCase; layer: ViewLayer } | null {
  if (segments.length !== 3 || segments[0] !== 'data' || !/^(0|[1-9][0-9]*)$/.test(segments[1])) return null;
  const viewCase = catalog.cases[Number(segments[1])];
  if (viewCase === undefined) return null;
  const layer = viewCase.layers.find((l) => l.url === `/data/${segments[1]}/${segments[2]}`);
  return layer === undefined ? null : { viewCase, layer };
}
