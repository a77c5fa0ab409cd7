/**
 * Every file a Case names: `image`, each rater's label map, `truth`, and the path-valued meta fields — `cine`,
 * `cineTruth`, `channels`, and any other meta string naming an image file (ending `.nii`, `.nii.gz`, `.nrrd` or
 * `.nhdr`). Importers and `fuseDataset` rewrite them all at once; the checker tests them all for existence; the
 * output guards keep every command's outputs clear of them.
 */
import { join } from 'node:path';
import { DATASET_FILE, resolveCasePath, type Case, type LoadedDataset } from './dataset.ts';
import { imageStem } from './source-tree.ts';

/** The role a path plays in its case; label roles are checked as label maps, `cine` and `meta` only for existence. */
export type CasePathRole = 'image' | 'rater' | 'truth' | 'cine' | 'channel' | 'meta';

/** One path a case holds, with the role it plays. */
export interface CasePath {
  /** What the path is for. */
  role: CasePathRole;
  /** Rater id for `rater`, channel index for `channel`, the meta field's name for `meta` (`cineTruth`, …). */
  key?: string;
  /** The path as written in dataset.json (relative to its folder). */
  path: string;
}

/** Meta fields with a role of their own (or not paths at all: `channels` is a list). */
const OWN_ROLE = new Set(['cine', 'channels']);

/** The names of the meta fields of `c` that hold a single path other than `cine`. */
function metaPathKeys(meta: Case['meta']): string[] {
  return Object.keys(meta).filter((k) => {
    const v = meta[k];
    return !OWN_ROLE.has(k) && typeof v === 'string' && (k === 'cineTruth' || imageStem(v) !== null);
  });
}

/** The paths of `c` with their roles, in a fixed order: image, channels, cine, other meta paths, raters (by id order), truth. */
export function casePaths(c: Case): CasePath[] {
  const out: CasePath[] = [];
  if (c.image !== undefined) out.push({ role: 'image', path: c.image });
  c.meta.channels?.forEach((path, i) => out.push({ role: 'channel', key: String(i), path }));
  if (c.meta.cine !== undefined) out.push({ role: 'cine', path: c.meta.cine });
  for (const key of metaPathKeys(c.meta)) out.push({ role: 'meta', key, path: c.meta[key] as string });
  for (const [key, path] of Object.entries(c.raters)) out.push({ role: 'rater', key, path });
  if (c.truth !== undefined) out.push({ role: 'truth', path: c.truth });
  return out;
}

/** A copy of `c` with every path (those `casePaths` lists) replaced by `fn(path)`. */
export function mapCasePaths(c: Case, fn: (path: string) => string): Case {
  const meta = { ...c.meta };
  if (meta.cine !== undefined) meta.cine = fn(meta.cine);
  if (meta.channels !== undefined) meta.channels = meta.channels.map(fn);
  for (const key of metaPathKeys(c.meta)) meta[key] = fn(c.meta[key] as string);
  const raters: Record<string, string> = {};
  for (const [key, path] of Object.entries(c.raters)) raters[key] = fn(path);
  return {
    id: c.id,
    ...(c.image !== undefined ? { image: fn(c.image) } : {}),
    raters,
    ...(c.truth !== undefined ? { truth: fn(c.truth) } : {}),
    meta,
  };
}

/**
 * Every path a loaded dataset is read from, absolute: its folder, its dataset.json and each file its cases name —
 * the inputs a command's outputs must stay clear of (`assertFolderOutsideInputs`, `assertOutputsDistinct`).
 */
export function datasetInputs({ dataset, root }: LoadedDataset): string[] {
  const files = dataset.cases.flatMap((c) => casePaths(c).map((p) => resolveCasePath(root, p.path)));
  return [root, join(root, DATASET_FILE), ...new Set(files)];
}
