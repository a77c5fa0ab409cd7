/**
 * The dataset description every stage reads: `dataset.json` beside its files, paths relative to it.
 * Data contract: a Case MUST have an `id` unique in the dataset and `raters` mapping rater ids to label-map
 * paths; `image` and `truth` are optional. `labels` maps label values ("1", "2", …) to names; 0 is background.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';

export const DATASET_FILE = 'dataset.json';

const caseMetaSchema = z
  .object({
    subject: z.string().optional(),
    frame: z.union([z.literal('ED'), z.literal('ES'), z.number().int().nonnegative()]).optional(),
    split: z.enum(['train', 'val', 'test']).optional(),
    group: z.string().optional(),
    vendor: z.string().optional(),
    centre: z.string().optional(),
  })
  .catchall(z.unknown());

const caseSchema = z
  .object({
    id: z.string().min(1),
    image: z.string().min(1).optional(),
    raters: z.record(z.string(), z.string().min(1)),
    truth: z.string().min(1).optional(),
    meta: caseMetaSchema.default({}),
  })
  .strict();

export const datasetSchema = z
  .object({
    name: z.string().min(1),
    labels: z.record(z.string().regex(/^[1-9][0-9]*$/, 'label keys are positive integers'), z.string()),
    raters: z.array(z.string().min(1)),
    cases: z.array(caseSchema),
    /** Free-form extras (e.g. simulated raters' true confusion matrices). */
    confusionMatrices: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
    source: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.cases.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate case id "${c.id}"` });
      seen.add(c.id);
      for (const r of Object.keys(c.raters)) {
        if (!d.raters.includes(r)) {
          ctx.addIssue({ code: 'custom', path: ['cases', i, 'raters', r], message: `rater "${r}" is not listed in "raters"` });
        }
      }
    });
  });

export type CaseMeta = z.infer<typeof caseMetaSchema>;
/** One image (optional) with its raters' label maps and, when known, the truth. Paths relative to the dataset root. */
export type Case = z.infer<typeof caseSchema>;
/** A named collection of cases, with the label names and the rater ids. */
export type Dataset = z.infer<typeof datasetSchema>;

/** A dataset plus the folder its relative paths are resolved against. */
export interface LoadedDataset {
  dataset: Dataset;
  /** Absolute folder holding dataset.json. */
  root: string;
}

/** Validates a parsed JSON value; every problem is listed with its JSON path. */
export function parseDataset(value: unknown, source: string): Dataset {
  const result = datasetSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new MultiraterError('invalid_dataset', `${source}: ${problems.length} problem(s): ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads `dir/dataset.json` (or the given .json file) and validates it. */
export function loadDataset(dirOrFile: string): LoadedDataset {
  const file = dirOrFile.endsWith('.json') ? resolve(dirOrFile) : resolve(dirOrFile, DATASET_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MultiraterError(code === 'ENOENT' ? 'file_not_found' : 'io_error', `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MultiraterError('invalid_dataset', `${file}: not valid JSON (${(e as Error).message})`);
  }
  return { dataset: parseDataset(json, file), root: dirname(file) };
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
