/**
 * The generic "one folder per rater" layout: `images/<name>.nii.gz`, one folder per rater holding that rater's
 * label map under the same name (`alice/<name>.nii.gz`), and optionally `truth/<name>.nii.gz`. Files are
 * matched by name without extension; a case is one name, its id that name. A rater folder may skip cases; a
 * label file with no image (when `images/` exists) is an error. Label names come from the `labels` option, else
 * `labels.json` in the source folder (`{"1": "LV"}`), else none: `labels` is left empty and `importDataset`
 * names the values it finds in the label maps (`label1`, `label2`, …). Files and folders may be symbolic links
 * (DataLad and git-annex datasets are made of them); dataset paths keep the link's name.
 */
import { basename, join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { formatSchemaIssue, labelNamesSchema, type Case, type Dataset } from './dataset.ts';
import type { DatasetLayout, LayoutOptions } from './layout.ts';
import { imageStem, isFile, listFiles, listFolders, posixJoin, readJsonFile, requireFolder } from './source-tree.ts';

const IMAGES = 'images';
const TRUTH = 'truth';

/** Builds the Dataset from a folder with `images/`, one folder per rater and optionally `truth/`. */
export function loadFolders(src: string, options: LayoutOptions = {}): Dataset {
  requireFolder(src, 'rater folders source');
  const folders = listFolders(src);
  const raterDirs = folders.filter((f) => f !== IMAGES && f !== TRUTH);
  const hasImages = folders.includes(IMAGES);
  const stems = (dir: string) => {
    const out = new Map<string, string>();
    for (const file of listFiles(join(src, dir))) {
      const stem = imageStem(file);
      if (stem === null) continue;
      if (out.has(stem))
        throw new MultiraterError('invalid_dataset', `${join(src, dir, file)}: two images named ${stem} in ${dir}/`);
      out.set(stem, posixJoin(dir, file));
    }
    return out;
  };
  const images = hasImages ? stems(IMAGES) : new Map<string, string>();
  const labelDirs = [...raterDirs, ...(folders.includes(TRUTH) ? [TRUTH] : [])];
  const labelFiles = new Map(labelDirs.map((d) => [d, stems(d)]));
  const ids = new Set(images.keys());
  for (const [dir, files] of labelFiles) {
    for (const [stem, path] of files) {
      if (hasImages && !images.has(stem))
        throw new MultiraterError('invalid_dataset', `${join(src, path)}: no image ${stem} in ${join(src, IMAGES)}`);
      ids.add(stem);
    }
    if (files.size === 0)
      throw new MultiraterError('invalid_dataset', `${join(src, dir)}: rater folder holds no .nii/.nii.gz/.nrrd files`);
  }
  if (ids.size === 0)
    throw new MultiraterError('invalid_dataset', `${src}: no images/ or rater folders with label maps`);
  const cases: Case[] = [...ids].sort().map((id) => {
    const c: Case = { id, raters: {}, meta: {} };
    const image = images.get(id);
    if (image !== undefined) c.image = image;
    for (const dir of raterDirs) {
      const path = labelFiles.get(dir)?.get(id);
      if (path !== undefined) c.raters[dir] = path;
    }
    const truth = labelFiles.get(TRUTH)?.get(id);
    if (truth !== undefined) c.truth = truth;
    return c;
  });
  return {
    name: options.name ?? basename(src),
    labels: options.labels ?? sourceLabels(src),
    raters: raterDirs,
    cases,
    source: { layout: 'folders' },
  };
}

function sourceLabels(src: string): Record<string, string> {
  const file = join(src, 'labels.json');
  if (!isFile(file)) return {};
  const result = labelNamesSchema.safeParse(readJsonFile(file));
  if (!result.success) {
    throw new MultiraterError('invalid_dataset', `${file}: ${result.error.issues.map(formatSchemaIssue).join('; ')}`);
  }
  return result.data;
}

/** The `folders` layout (`dataset import --layout folders`): `images/`, one folder per rater, optional `truth/`. */
export const foldersLayout: DatasetLayout = {
  name: 'folders',
  description:
    'generic: images/<name>.nii.gz, one folder per rater with the same names, optional truth/ and labels.json (else labels found are named label1, …)',
  load: loadFolders,
};
