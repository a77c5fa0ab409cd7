/**
 * What `multirater view` may show, fixed when the server starts: per case its layers (image, cine, truth, raters,
 * prediction folders, audit regions, fused and computed overlays), each with the URL the page loads it from. The URLs name
 * layers, never file-system paths (`/data/<case index>/<layer key>.nii`), so a request can reach only the files
 * the dataset, the prediction folders and the model name, whatever it contains. Files are resolved through
 * symlinks once here; a layer whose file is missing is left out.
 *
 * Containment: dataset.json is data, not trusted. A file is served only when its real path (every link resolved)
 * lies inside the folder it belongs to — the dataset's folder for the dataset's files, the prediction, audit or
 * model folder for theirs — or inside a root the user named (`allowRoots`), and only when its first bytes are a
 * NIfTI or NRRD header. The rest are listed in `refused` with the reason, and never get a layer.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { ContainedRoots } from '../io/index.ts';
import { sniffImage } from '../io/index.ts';
import { loadDataset, resolveCasePath, type Case, type Dataset } from '../datasets/index.ts';
import { FUSION_METHODS } from '../fusion/index.ts';
import type { AnnotatorCmsFile } from '../annotators/index.ts';
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

/** A case as the server holds it: the page's `CaseJson` whose layers carry their file, encoding and fusion method. */
export type ViewCase = CaseJson<ViewLayer>;

/** Options of `viewCatalog`: the dataset and the folders whose layers `multirater view` shows beside its own. */
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
  model?: AnnotatorCmsFile | null;
  /**
   * Folders whose files may be served besides each layer's own folder: for datasets whose files live elsewhere
   * (`dataset import` without `--copy` points at the source folder). Default none.
   */
  allowRoots?: readonly string[];
}

/** A file a case names that is not served, and why. */
export interface RefusedFile {
  /** Position of the case in dataset.json's `cases`. */
  caseIndex: number;
  /** The case's id. */
  caseId: string;
  /** The layer it would have been (`rater-1`) and its URL, so a request for it is logged by name. */
  key: string;
  /** The layer's URL had it been served (`/data/<case index>/<key>.nii`). */
  url: string;
  /** Layer name: the rater id, `image`, `truth`, …. */
  name: string;
  /** The path as the case names it, made absolute. */
  path: string;
  /** One line: where the file really is and which folders it had to be in, or why it is no image. */
  reason: string;
}

/** What `viewCatalog` found: every case's servable layers, the folders they come from, and the files refused. */
export interface ViewCatalog {
  /** dataset.json as loaded and validated. */
  dataset: Dataset;
  /** Folder of dataset.json. */
  root: string;
  /** One per case of dataset.json, in its order; `ViewCase.index` is the position here. */
  cases: ViewCase[];
  /** The annotator-CM model of `options.model`; null without one. */
  model: AnnotatorCmsFile | null;
  /** The real paths of the folders the dataset's files are served from: its own, then `allowRoots`. */
  roots: string[];
  /** Files named by the cases but not served (outside their folders, or not images), in case order. */
  refused: RefusedFile[];
}

const SERVED_EXTENSIONS = ['.nii.gz', '.nii', '.nrrd'];
/** The per-case maps of an audit folder (src/audit/audit.ts). */
const AUDIT_PARTS = ['regions', 'departures'] as const;

/** Builds the catalogue; throws for an unknown fusion method or a missing prediction folder. */
export function viewCatalog(options: ViewCatalogOptions): ViewCatalog {
  const { dataset, root } = loadDataset(options.data);
  const predictions = (options.predictions ?? []).map((dir) => {
    const abs = resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new MultiraterError('file_not_found', `${dir}: prediction folder not found`);
    return { dir: abs, name: basename(abs) };
  });
  const audits = (options.audits ?? []).map((dir) => {
    const abs = resolve(dir);
    if (!AUDIT_PARTS.some((part) => existsSync(join(abs, part))))
      throw new MultiraterError('file_not_found', `${dir}: not a multirater audit folder (no regions/ or departures/)`);
    return { dir: abs, name: basename(abs) };
  });
  const fused = (options.fused ?? []).map((m) => {
    if (!FUSION_METHODS.has(m as never)) {
      throw new MultiraterError(
        'unknown_name',
        `options.fused: unknown method "${m}" (expected ${[...FUSION_METHODS.keys()].join(', ')})`,
      );
    }
    return m;
  });
  const model = options.model ?? null;
  const extra = options.allowRoots ?? [];
  const missingRoot = extra.find((dir) => !existsSync(dir) || !statSync(dir).isDirectory());
  if (missingRoot !== undefined)
    throw new MultiraterError('file_not_found', `${missingRoot}: allowed root is not a folder`);
  const within = (dir: string) => new ContainedRoots([dir, ...extra]);
  const folders: CaseFolders = {
    dataset: within(root),
    predictions: predictions.map((p) => ({ ...p, roots: within(p.dir) })),
    audits: audits.map((a) => ({ ...a, roots: within(a.dir) })),
    model: model === null ? null : within(model.dir),
  };
  const refused: RefusedFile[] = [];
  const cases = dataset.cases.map((c, index) => viewCase(c, index, root, folders, fused, model, refused));
  return { dataset, root, cases, model, roots: [...folders.dataset.roots], refused };
}

/** The folders each kind of layer may be served from. */
interface CaseFolders {
  dataset: ContainedRoots;
  predictions: readonly { dir: string; name: string; roots: ContainedRoots }[];
  audits: readonly { dir: string; name: string; roots: ContainedRoots }[];
  model: ContainedRoots | null;
}

function viewCase(
  c: Case,
  index: number,
  root: string,
  folders: CaseFolders,
  fused: readonly string[],
  model: AnnotatorCmsFile | null,
  refused: RefusedFile[],
): ViewCase {
  const layers: ViewLayer[] = [];
  const file = (
    roots: ContainedRoots,
    key: string,
    kind: LayerKind,
    name: string,
    path: string | undefined,
    extra: Partial<ViewLayer> = {},
  ) => {
    if (path === undefined) return;
    const served = servedFile(path, roots);
    if (served === null) return;
    if ('reason' in served) {
      refused.push({
        caseIndex: index,
        caseId: c.id,
        key,
        url: `/data/${index}/${key}${served.extension}`,
        name,
        path,
        reason: served.reason,
      });
      return;
    }
    layers.push({
      key,
      kind,
      name,
      url: `/data/${index}/${key}${served.extension}`,
      file: served.file,
      gzip: served.gzip,
      ...extra,
    });
  };
  const own = (key: string, kind: LayerKind, name: string, path: string | undefined) =>
    file(folders.dataset, key, kind, name, path && resolveCasePath(root, path));
  own('image', 'image', 'image', c.image);
  own('cine', 'cine', 'cine', c.meta.cine);
  own('truth', 'truth', 'truth', c.truth);
  Object.keys(c.raters).forEach((r, i) => own(`rater-${i}`, 'rater', r, c.raters[r]));
  const raters = layers.filter((l) => l.kind === 'rater').map((l) => l.name);
  folders.predictions.forEach((p, i) =>
    file(p.roots, `pred-${i}`, 'prediction', p.name, join(p.dir, `${c.id}.nii.gz`)),
  );
  folders.audits.forEach((a, i) =>
    AUDIT_PARTS.forEach((part) =>
      file(a.roots, `audit-${i}-${part}`, 'audit', `${a.name} ${part}`, join(a.dir, part, `${c.id}.nii.gz`)),
    ),
  );
  if (raters.length >= 2) {
    for (const m of fused)
      layers.push({
        key: `fused-${m}`,
        kind: 'fused',
        name: `fused ${m}`,
        url: `/data/${index}/fused-${m}.nii`,
        method: m,
      });
    layers.push({
      key: 'disagreement',
      kind: 'disagreement',
      name: 'disagreement',
      url: `/data/${index}/disagreement.nii`,
    });
    layers.push({ key: 'staple', kind: 'staple', name: 'STAPLE p(fg)', url: `/data/${index}/staple.nii` });
  }
  const diagonals = model?.diagonals[c.id] ?? {};
  const modelRoots = folders.model;
  if (modelRoots !== null) {
    Object.entries(diagonals).forEach(([rater, path], i) =>
      file(modelRoots, `cmdiag-${i}`, 'cm-diagonal', `CM diagonal ${rater}`, path, { rater }),
    );
  }
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
 * The file behind a path, symlinks resolved, with the extension it is served under; null when absent; a reason
 * when it lies outside `roots` or is no image. NIfTI files that start with the gzip magic are served as `.nii`
 * with gzip content encoding (the browser's native inflate is several times faster than niivue's JavaScript one
 * on a large CT).
 */
export function servedFile(
  path: string,
  roots: ContainedRoots,
): { file: string; extension: string; gzip: boolean } | { extension: string; reason: string } | null {
  const named = SERVED_EXTENSIONS.find((e) => path.toLowerCase().endsWith(e));
  if (named === undefined) return null;
  const extension = named === '.nrrd' ? '.nrrd' : '.nii';
  const where = roots.locate(path);
  if (where.kind === 'missing') return null;
  if (where.kind === 'outside') {
    return { extension, reason: `${path} leads to ${where.file}, outside ${roots.roots.join(' and ')}` };
  }
  if (!statSync(where.file).isFile()) return null;
  try {
    const sniffed = sniffImage(where.file);
    const nrrd = sniffed.format === 'nrrd';
    if (nrrd !== (named === '.nrrd') || (nrrd && sniffed.gzip)) {
      return {
        extension,
        reason: `${path}: named ${named} but holds ${sniffed.gzip ? 'gzip ' : ''}${nrrd ? 'NRRD' : 'NIfTI'}`,
      };
    }
    if (sniffed.dataFiles !== null)
      return { extension, reason: `${path}: NRRD header names detached data files (${sniffed.dataFiles.join(', ')})` };
    return { file: where.file, extension, gzip: sniffed.gzip };
  } catch (e) {
    return { extension, reason: e instanceof MultiraterError ? e.message : String(e) };
  }
}

/** The layer a request path names (`/data/<index>/<key><ext>`), or null: the only way from a URL to a file. */
export function findLayer(
  catalog: ViewCatalog,
  segments: readonly string[],
): {
  /** The case the path's `<index>` names (`catalog.cases[index]`). */
  viewCase: ViewCase;
  /** The case's layer whose `url` is the request path. */
  layer: ViewLayer;
} | null {
  if (segments.length !== 3 || segments[0] !== 'data' || !/^(0|[1-9][0-9]*)$/.test(segments[1])) return null;
  const viewCase = catalog.cases[Number(segments[1])];
  if (viewCase === undefined) return null;
  const layer = viewCase.layers.find((l) => l.url === `/data/${segments[1]}/${segments[2]}`);
  return layer === undefined ? null : { viewCase, layer };
}
