/**
 * The dataset description every stage reads: `dataset.json` beside its files, paths relative to it.
 * Data contract: a Case MUST have an `id` unique in the dataset and `raters` mapping rater ids to label-map
 * paths; `image` and `truth` are optional. `labels` maps label values ("1", "2", …) to names; 0 is background.
 * Paths in `meta`: `cine`, `cineTruth`, `channels`, and any other string ending in .nii, .nii.gz, .nrrd or .nhdr
 * (case-paths.ts); like every path they are relative to dataset.json's folder and rebased when a dataset moves.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { readJsonFile } from './source-tree.ts';

/** File name of a dataset's manifest, in the dataset's folder. */
export const DATASET_FILE = 'dataset.json';

/**
 * Label names by value: keys "1", "2", … (0 is background and not listed). Keys are checked by a refinement
 * rather than a key schema so the message names the offending key (zod's key schema only says "Invalid key").
 */
export const labelNamesSchema = z.record(z.string(), z.string()).superRefine(
  (labels, ctx) => {
    if (!isRecord(labels)) return;
    for (const key of Object.keys(labels)) {
      if (!/^[1-9][0-9]*$/.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `label key "${key}" is not a positive integer` });
    }
  },
  { when: (payload) => isRecord(payload.value) },
);

/** The split names a case's `meta.split` may hold. */
export const SPLITS = ['train', 'val', 'test'] as const satisfies readonly Split[];

/** A case's role: training, validation or test (one of `SPLITS`). */
export type Split = 'train' | 'val' | 'test';

const splitSchema: z.ZodType<Split> = z.enum(SPLITS, {
  error: (issue) => `split ${JSON.stringify(issue.input)} is not one of ${SPLITS.join(', ')}`,
});

/** The zod schema of a case's `meta` in dataset.json (`CaseMeta`): the known fields typed, any other field kept. */
export const caseMetaSchema = z
  .object({
    /** Subject (patient) the case belongs to; cases of one subject (frames, timepoints) share it. */
    subject: z.string().optional(),
    /** Cardiac phase of the case: 'ED' (end-diastole), 'ES' (end-systole), or a frame number. */
    frame: z.union([z.literal('ED'), z.literal('ES'), z.number().int().nonnegative()]).optional(),
    /** The split the case belongs to (train, val or test). */
    split: splitSchema.optional(),
    /** Diagnostic group (ACDC's NOR, MINF, DCM, HCM, RV; the phantom's groups). */
    group: z.string().optional(),
    /** Scanner vendor (M&Ms' A–D; the phantom's vendors), for per-vendor results. */
    vendor: z.string().optional(),
    /** Acquiring centre, when the source records it. */
    centre: z.string().optional(),
    /**
     * 0-based index of the case's frame on the time axis: of the case's own files when they are 4D (M&Ms), or of
     * the `cine` series the 3D frame files were cut from (ACDC).
     */
    timeIndex: z.number().int().nonnegative().optional(),
    /** Path of the 4D cine series the case's frame belongs to (ACDC's `_4d.nii.gz`), relative like all paths. */
    cine: z.string().min(1).optional(),
    /** Path of the 4D label series matching `cine` (simulated datasets), relative like all paths. */
    cineTruth: z.string().min(1).optional(),
    /** Paths of every input channel in order when the image has more than one (nnU-Net `_0000`, `_0001`, …). */
    channels: z.array(z.string().min(1)).optional(),
  })
  .catchall(z.unknown());

/** The zod schema of one entry of dataset.json's `cases` (`Case`); no other field is allowed. */
export const caseSchema = z
  .object({
    /** Case id, unique in the dataset; file names of predictions and fusions are built from it. */
    id: z.string().min(1),
    /** Path of the image (NIfTI or NRRD); absent for label-only datasets. */
    image: z.string().min(1).optional(),
    /** Rater id → path of that rater's label map on the image's grid. */
    raters: z.record(z.string(), z.string().min(1)),
    /** Path of the reference label map, when known (simulated data, expert consensus). */
    truth: z.string().min(1).optional(),
    /** Facts about the case (subject, frame, split, group, vendor, …) and extra paths; default none. */
    meta: caseMetaSchema.default({}),
  })
  .strict();

/**
 * The zod schema of dataset.json: field types, then cross-field checks (unique case ids, every case's raters listed).
 */
export const datasetSchema = z
  .object({
    /** The dataset's name. */
    name: z.string().min(1),
    /** Label value ("1", "2", …) → name; 0 is background and not listed. */
    labels: labelNamesSchema,
    /** Every rater id the cases may name. */
    raters: z.array(z.string().min(1)),
    /** The cases, in the dataset's order. */
    cases: z.array(caseSchema),
    /** Free-form extras (e.g. simulated raters' true confusion matrices). */
    confusionMatrices: z.record(z.string(), z.unknown()).optional(),
    /** Free text: where the data come from, how they were made. */
    description: z.string().optional(),
    /** What an importer recorded of the source it read (its layout, splits, …). */
    source: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  // Cross-field checks run even when other fields failed (`when`), so one pass lists every problem; they read
  // the raw value defensively because it may not have passed the schema.
  .superRefine(crossCheck, { when: (payload) => isRecord(payload.value) });

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Case ids unique; every rater a case names is listed in `raters`. */
function crossCheck(d: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(d) || !Array.isArray(d.cases)) return;
  const listed = Array.isArray(d.raters) ? new Set(d.raters) : null;
  const seen = new Set<string>();
  d.cases.forEach((c: unknown, i: number) => {
    if (!isRecord(c)) return;
    if (typeof c.id === 'string') {
      if (seen.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate case id "${c.id}"` });
      seen.add(c.id);
    }
    if (!listed || !isRecord(c.raters)) return;
    for (const r of Object.keys(c.raters)) {
      if (!listed.has(r))
        ctx.addIssue({
          code: 'custom',
          path: ['cases', i, 'raters', r],
          message: `rater "${r}" is not listed in "raters"`,
        });
    }
  });
}

/** What is known about a case besides its files; unknown fields are kept as they are. */
export type CaseMeta = z.infer<typeof caseMetaSchema>;
/** One image (optional) with its raters' label maps and, when known, the truth. Paths relative to the dataset root. */
export type Case = z.infer<typeof caseSchema>;
/** A named collection of cases, with the label names and the rater ids. */
export type Dataset = z.infer<typeof datasetSchema>;

/** A dataset plus the folder its relative paths are resolved against. */
export interface LoadedDataset {
  /** The dataset as read and validated. */
  dataset: Dataset;
  /** Absolute folder holding dataset.json. */
  root: string;
}

/** One schema problem of a dataset.json value: its JSON path (`cases.3.raters.r1`) and what is wrong. */
export interface DatasetSchemaIssue {
  /** JSON path of the offending value; empty for the root. */
  path: (string | number)[];
  /** What is wrong, in one line. */
  message: string;
}

/** Validates a parsed JSON value without throwing: the dataset, or every schema problem with its path. */
export function validateDataset(value: unknown):
  | {
      /** The valid dataset. */
      dataset: Dataset;
      /** No problems. */
      issues: [];
    }
  | {
      /** None: the value is not a valid dataset. */
      dataset: null;
      /** Every schema problem, each with its path. */
      issues: DatasetSchemaIssue[];
    } {
  const result = datasetSchema.safeParse(value);
  if (result.success) return { dataset: result.data, issues: [] };
  return {
    dataset: null,
    issues: result.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
    })),
  };
}

/** `cases.3.raters.r1: message`, or `(root): message` (for our issues and zod's). */
export function formatSchemaIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  return `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`;
}

/** Validates a parsed JSON value; every problem is listed with its JSON path. */
export function parseDataset(value: unknown, source: string): Dataset {
  const { dataset, issues } = validateDataset(value);
  if (!dataset) {
    const problems = issues.map(formatSchemaIssue);
    throw new MultiraterError('invalid_dataset', `${source}: ${problems.length} problem(s): ${problems.join('; ')}`);
  }
  return dataset;
}

/** The dataset.json a folder (or a .json path) designates, absolute. */
export function datasetFile(dirOrFile: string): string {
  return dirOrFile.endsWith('.json') ? resolve(dirOrFile) : resolve(dirOrFile, DATASET_FILE);
}

/** Reads and JSON-parses a dataset.json without validating it; one-line errors for a missing or malformed file. */
export function readDatasetJson(file: string): unknown {
  return readJsonFile(file);
}

/** Reads `dir/dataset.json` (or the given .json file) and validates it. */
export function loadDataset(dirOrFile: string): LoadedDataset {
  const file = datasetFile(dirOrFile);
  return { dataset: parseDataset(readDatasetJson(file), file), root: dirname(file) };
}

/** Writes `dataset` as `dir/dataset.json` (validated first, written atomically). */
export function saveDataset(dir: string, dataset: Dataset): string {
  const file = resolve(dir, DATASET_FILE);
  const valid = parseDataset(dataset, file);
  writeFileAtomic(file, JSON.stringify(valid, null, 2) + '\n');
  return file;
}

/** Absolute path of a dataset-relative path. */
export function resolveCasePath(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}
