/**
 * The folders a dataset's paths may lead into: its own folder, and those its `source` records — `source.path`,
 * the folder `dataset import` read by reference (without `--copy`), and `source.roots`, the folders of the dataset
 * a derived copy (`fuse --data --out-dir`, STAPLE across cases) still points into. `dataset check` holds paths to
 * these; the viewer, which cannot trust `dataset.json`, serves only its own folder and the ones the user names.
 */
import { resolve } from 'node:path';
import type { Dataset } from './dataset.ts';
import { relativePosix } from './source-tree.ts';

/** Absolute folders `dataset`'s paths may lead into, its own folder `root` first. */
export function datasetRoots(dataset: Dataset, root: string): string[] {
  const source = dataset.source ?? {};
  const recorded = [source.path, ...(Array.isArray(source.roots) ? source.roots : [])].filter(
    (p): p is string => typeof p === 'string',
  );
  return [...new Set([resolve(root), ...recorded.map((p) => resolve(root, p))])];
}

/**
 * The `source` of a copy of `dataset` (at `root`) written into `outDir` whose paths still point at the original's
 * files: the original's record with `path` rebased and every folder the original may lead into as `roots`.
 */
export function derivedSource(dataset: Dataset, root: string, outDir: string): Record<string, unknown> {
  const rebase = (p: string) => relativePosix(resolve(outDir), p) || '.';
  const { path, ...rest } = dataset.source ?? {};
  return {
    ...rest,
    ...(typeof path === 'string' ? { path: rebase(resolve(root, path)) } : {}),
    roots: datasetRoots(dataset, root).map(rebase),
  };
}
