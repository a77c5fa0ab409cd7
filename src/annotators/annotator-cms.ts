/**
 * The annotator-CM model outputs `multirater view --model DIR` shows, read from `DIR/annotator-cms.json`:
 *
 * ```json
 * { "schemaVersion": 1,
 *   "raters": ["good", "over"],                 // annotator ids, as in the dataset
 *   "labels": ["background", "foreground"],     // class names, in matrix index order
 *   "matrices": { "good": [[0.98, 0.03], [0.02, 0.97]] },   // image-level CM per annotator
 *   "cases": { "<caseId>": { "diagonal": { "good": "cm/<caseId>_good.nii.gz" } } } }   // optional
 * ```
 * `matrices[r][i][j]` = P(annotator r says labels[i] | truth labels[j]); every column sums to 1 (SPEC-metrics.md).
 * `cases[id].diagonal[r]` is a float map on the case's grid, values 0–1: the per-pixel CM diagonal averaged over
 * the classes (mean_i CM[i][i]), the annotator's estimated reliability at that pixel; paths relative to DIR.
 * The annotator trainer adds its own record: `iteration` (the selected checkpoint), `estimatedOn` ('val' | 'train'),
 * `confusionMatrices` (as `matrices`, but null where a column was never predicted, and null for an annotator the
 * model has no matrix for) and `cmError`. One schema serves every reader: the viewer, the annotators study's report
 * and the trainer's tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { formatSchemaIssue } from '../datasets/index.ts';

/** The file `--model DIR` reads. */
export const ANNOTATOR_CMS_FILE = 'annotator-cms.json';

/** The cases an annotator-CM model's matrices were estimated on: 'val', or 'train' when there are no validation cases. */
export type CmEstimateSplit = 'val' | 'train';
const cmEstimateSplit: z.ZodType<CmEstimateSplit> = z.enum(['val', 'train']);

const nullableMatrix = z.array(z.array(z.number().min(0).max(1).nullable())).nullable();

/**
 * The zod schema of `annotator-cms.json` (`AnnotatorCmsRecord`): raters, labels, one L×L matrix per rater with
 * entries in 0–1 (each checked to be L×L), optional per-case diagonal maps and the estimate's provenance.
 */
export const annotatorCmsSchema = z
  .object({
    /** Version of this file's shape: 1 (absent in files written before it existed). */
    schemaVersion: z.literal(1).optional(),
    /** Annotator ids, as in the dataset. */
    raters: z.array(z.string().min(1)).min(1),
    /** Class names, in matrix index order. */
    labels: z.array(z.string()).min(1),
    /** Image-level CM per annotator: [i][j] = P(says labels[i] | truth labels[j]), 0–1, columns sum to 1. */
    matrices: z.record(z.string(), z.array(z.array(z.number().min(0).max(1)))),
    /** Per case id, its per-pixel maps; absent when the model has none. */
    cases: z
      .record(
        z.string(),
        z.object({
          /** Per annotator: the 0–1 map of the mean per-pixel CM diagonal, its path relative to the model folder. */
          diagonal: z.record(z.string(), z.string().min(1)).optional(),
        }),
      )
      .optional(),
    /** Trainer's record: iterations completed at the selected checkpoint. */
    iteration: z.number().int().nonnegative().optional(),
    /** Trainer's record: the cases the matrices were estimated on, 'val' or 'train' (no validation cases). */
    estimatedOn: cmEstimateSplit.optional(),
    /** Trainer's record: as `matrices`, null where a column was never predicted or for an annotator without one. */
    confusionMatrices: z.record(z.string(), nullableMatrix).optional(),
    /** Trainer's record: CM error (RMSE over entries, mean over annotators) vs the true matrices; null without them. */
    cmError: z.number().nullable().optional(),
  })
  .superRefine((v, ctx) => {
    const L = v.labels.length;
    for (const [r, m] of Object.entries(v.matrices)) {
      if (m.length !== L || m.some((row) => row.length !== L)) {
        ctx.addIssue({
          code: 'custom',
          path: ['matrices', r],
          message: `expected a ${L}×${L} matrix (one row and column per label)`,
        });
      }
    }
  });

/** An annotator-CM model's outputs, validated. */
export interface AnnotatorCmsFile {
  /** The model folder, absolute: the only folder its diagonal maps are served from. */
  dir: string;
  /** Annotator ids, as in the dataset. */
  raters: string[];
  /** Class names in matrix index order. */
  labels: string[];
  /** Per annotator, cm[i][j] = P(says labels[i] | truth labels[j]). */
  matrices: Record<string, number[][]>;
  /** Per case id, per annotator: absolute path of the per-pixel CM-diagonal map. */
  diagonals: Record<string, Record<string, string>>;
}

/** The file's content as written, validated (the schema above). */
export type AnnotatorCmsRecord = z.infer<typeof annotatorCmsSchema>;

/** Reads and validates `dir/annotator-cms.json` as written; errors name the file and the field. */
export function readAnnotatorCmsRecord(dir: string): AnnotatorCmsRecord {
  const file = join(resolve(dir), ANNOTATOR_CMS_FILE);
  if (!existsSync(file)) throw new MultiraterError('file_not_found', `${file}: annotator-CM file not found`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MultiraterError('invalid_argument', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = annotatorCmsSchema.safeParse(value);
  if (!parsed.success) {
    throw new MultiraterError('invalid_argument', `${file}: ${parsed.error.issues.map(formatSchemaIssue).join('; ')}`);
  }
  return parsed.data;
}

/** Reads and validates `dir/annotator-cms.json` for the viewer: diagonal maps resolved to absolute paths. */
export function readAnnotatorCms(dir: string): AnnotatorCmsFile {
  const { raters, labels, matrices, cases = {} } = readAnnotatorCmsRecord(dir);
  const diagonals: AnnotatorCmsFile['diagonals'] = {};
  for (const [id, c] of Object.entries(cases)) {
    diagonals[id] = Object.fromEntries(Object.entries(c.diagonal ?? {}).map(([r, p]) => [r, resolve(dir, p)]));
  }
  return { dir: resolve(dir), raters, labels, matrices, diagonals };
}
