/**
 * Dataset-level fusion: fuse every case of a dataset and write, into a new folder, the fused label maps
 * (`fused-<method>/<case>.nii.gz`) and a copy of `dataset.json` listing them as the rater `fused-<method>`, its
 * other paths (image, truth, raters, and every path in meta: cine, cineTruth, channels, …) rewritten to stay
 * valid from the new folder. Each case uses the raters it has (any subset); an earlier `fused-<method>` rater is
 * never an input. A case whose foreground is empty in every rater gets the empty fusion (empty-fusion.ts) and a
 * warning, and the other cases go on. The label written on ties (majority, multi-label STAPLE), when a fused map
 * holds it, is declared in the copy's labels as "undecided", so the copy passes `dataset check`. Nothing appears
 * in the output folder unless every case succeeds: files are staged in a temporary sibling folder and moved in at
 * the end.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isMultiraterError, MultiraterError } from '../errors.ts';
import { datasetInputs, mapCasePaths } from '../datasets/index.ts';
import { derivedSource } from '../datasets/index.ts';
import { loadDataset, resolveCasePath, saveDataset, type Case, type Dataset } from '../datasets/index.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { readLabelMap } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { fusionMethod } from './builtins.ts';
import { emptyFusion, foregroundEmpty } from './empty-fusion.ts';
import { fuseReport, runFusion, type FuseReport } from './fuse-files.ts';
import type { FuseOptions } from './fusion-method.ts';

/**
 * Options of {@link fuseDataset} (`multirater fuse --data`): the method, the dataset, the output folder, and the
 * method's options.
 */
export interface FuseDatasetOptions extends Omit<FuseOptions, 'names' | 'mask'> {
  /** Registered method name (builtins.ts). */
  method: string;
  /** Dataset folder (holding dataset.json) or the dataset.json file. */
  data: string;
  /** Folder to write into; neither the dataset's folder, nor one holding it or any of its files. */
  outDir: string;
}

/** What {@link fuseDataset} did: the dataset copy it wrote with the fused rater added, and each case's fusion. */
export interface FuseDatasetReport {
  /** The method's registered name. */
  method: string;
  /** The rater id added to the dataset copy. */
  raterId: string;
  /** The written dataset.json. */
  dataset: string;
  /**
   * Per case in the dataset's order: its fusion report, where the fused label map was written and whether it is empty.
   */
  cases: (FuseReport & {
    /** The case's id. */
    id: string;
    /** The fused label map written, relative to `outDir` (`<raterId>/<case>.nii.gz`). */
    file: string;
    /** True when no rater marked any foreground, so the fusion is the empty map. */
    empty: boolean;
  })[];
  /** One line per case given the empty fusion because no rater marked any foreground. */
  warnings: string[];
}

/** Fuses every case of a dataset into `outDir`. */
export function fuseDataset(options: FuseDatasetOptions): FuseDatasetReport {
  const method = fusionMethod(options.method);
  const loaded = loadDataset(options.data);
  const { dataset, root } = loaded;
  assertFolderOutsideInputs('options.outDir', options.outDir, datasetInputs(loaded));
  const outDir = resolve(options.outDir);
  const raterId = `fused-${method.name}`;
  const names = caseFileNames(dataset.cases, join(root, 'dataset.json'));
  mkdirSync(dirname(outDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(outDir), `.${basename(outDir)}.fuse-`));
  try {
    const cases: FuseDatasetReport['cases'] = [];
    const undecided = new Set<number>();
    dataset.cases.forEach((c, i) => {
      const file = `${raterId}/${names[i]}.nii.gz`;
      const { undecidedUsed, ...report } = fuseCase(c, root, join(staging, file), raterId, options);
      if (undecidedUsed) undecided.add(report.undecidedLabel!);
      cases.push({ id: c.id, file, ...report });
    });
    mkdirSync(join(outDir, raterId), { recursive: true });
    for (const c of cases) renameSync(join(staging, c.file), join(outDir, c.file));
    const file = saveDataset(outDir, datasetCopy(dataset, root, outDir, raterId, cases, undecided));
    const warnings = cases
      .filter((c) => c.empty)
      .map(
        (c) =>
          `case "${c.id}": foreground empty in all ${c.raters.length} raters; fused map left empty, sensitivity/specificity null`,
      );
    return { method: method.name, raterId, dataset: file, cases, warnings };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A case's report, whether it was empty in every rater, and whether its fused map holds the undecided label. */
type CaseFusion = FuseReport & { empty: boolean; undecidedUsed: boolean };

function fuseCase(c: Case, root: string, out: string, raterId: string, options: FuseDatasetOptions): CaseFusion {
  const raterIds = Object.keys(c.raters).filter((r) => r !== raterId);
  const files = raterIds.map((r) => resolveCasePath(root, c.raters[r]));
  try {
    const volumes = files.map((f) => readLabelMap(f, { maxDims: 4 }));
    // Binary STAPLE sees only its foreground label; the other methods every label above 0.
    const method = fusionMethod(options.method);
    const empty = foregroundEmpty(volumes, method.name === 'staple' ? (options.foreground ?? 1) : null);
    const { result, seconds } = empty
      ? { result: emptyFusion(method, volumes, files), seconds: 0 }
      : runFusion(options.method, volumes, { ...options, names: files });
    writeNifti(out, result.labels);
    const report = fuseReport(result, seconds);
    report.raters.forEach((r, i) => (r.file = raterIds[i]));
    const undecided = result.undecidedLabel;
    return { ...report, empty, undecidedUsed: undecided !== null && result.labels.data.includes(undecided) };
  } catch (e) {
    if (isMultiraterError(e)) throw new MultiraterError(e.code, `case "${c.id}": ${e.message}`);
    throw e;
  }
}

/** The dataset as seen from `outDir`, with the fused rater, and the undecided label (majority ties) declared if used. */
function datasetCopy(
  dataset: Dataset,
  root: string,
  outDir: string,
  raterId: string,
  cases: { file: string }[],
  undecided: ReadonlySet<number>,
): Dataset {
  const move = (p: string) => relative(outDir, resolveCasePath(root, p)).split(sep).join('/');
  const labels = { ...dataset.labels };
  for (const u of undecided) labels[String(u)] ??= 'undecided';
  return {
    ...dataset,
    source: derivedSource(dataset, root, outDir),
    labels,
    raters: dataset.raters.includes(raterId) ? dataset.raters : [...dataset.raters, raterId],
    cases: dataset.cases.map((c, i) => {
      const moved = mapCasePaths(
        { ...c, raters: Object.fromEntries(Object.entries(c.raters).filter(([r]) => r !== raterId)) },
        move,
      );
      return { ...moved, raters: { ...moved.raters, [raterId]: cases[i].file } };
    }),
  };
}

/** File names for the case ids (characters outside [A-Za-z0-9._-] become _), refusing two cases on one name. */
function caseFileNames(cases: readonly Case[], source: string): string[] {
  const seen = new Map<string, string>();
  return cases.map((c) => {
    const name = c.id.replace(/[^A-Za-z0-9._-]/g, '_');
    const other = seen.get(name);
    if (other !== undefined) {
      throw new MultiraterError(
        'invalid_dataset',
        `${source}: cases "${other}" and "${c.id}" would share the file name ${name}.nii.gz`,
      );
    }
    seen.set(name, c.id);
    return name;
  });
}
