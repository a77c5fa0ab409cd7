/**
 * `report.json` read back (as `renderStudyReport` writes it): checked against the shape of {@link StudyReport}, so
 * a hand-edited or truncated file is a one-line error naming the file and the field. Used by whatever keeps
 * reports as data (`scripts/results-tables.ts`) and by `study-provenance.ts` for the provenance's shape.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatSchemaIssue } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import type { ReportCell, StudyReport } from './report-types.ts';
import { REPORT_SCHEMA_VERSION } from './render-study-report.ts';

/** The shape of {@link ReportMachine}. */
const reportMachineSchema = z.object({
  cores: z.number().int().positive(),
  cpuModel: z.string(),
  memoryGiB: z.number(),
  platform: z.string(),
  node: z.string(),
});

/** The shape of {@link ReportProvenance}. */
export const reportProvenanceSchema = z.object({
  commit: z.object({ sha: z.string(), dirty: z.boolean() }).nullable(),
  date: z.string(),
  machine: reportMachineSchema,
  command: z.string().nullable(),
  workers: z.number().int().nullable(),
  threads: z.number().int().nullable(),
  startedAt: z.string().optional(),
  wallSeconds: z.number().optional(),
});

const cellSchema: z.ZodType<ReportCell> = z.union([
  z.string(),
  z.number(),
  z.null(),
  z.object({
    mean: z.number().nullable(),
    sd: z.number().nullable(),
    n: z.number(),
    marks: z.array(z.string()).optional(),
    decimals: z.number().optional(),
  }),
]);

const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  study: z.string(),
  title: z.string(),
  preset: z.string(),
  settings: z.record(z.string(), z.unknown()),
  packageVersion: z.string(),
  seeds: z.array(z.number()),
  wallSecondsByKind: z.record(z.string(), z.number()),
  tables: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      columns: z.array(
        z.object({
          key: z.string(),
          label: z.string(),
          lowerIsBetter: z.boolean().optional(),
          decimals: z.number().optional(),
        }),
      ),
      rows: z.array(z.record(z.string(), cellSchema)),
      footnotes: z.array(z.string()),
    }),
  ),
  figures: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      spec: z.record(z.string(), z.unknown()),
      caption: z.string().optional(),
    }),
  ),
  notes: z.array(z.string()).optional(),
  generatedAt: z.string().optional(),
  provenance: reportProvenanceSchema.optional(),
});

/** The report in `path` (a `report.json`); an unreadable file or one of another shape is an error naming it. */
export function readStudyReport(path: string): StudyReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MultiraterError(
      code === 'ENOENT' ? 'file_not_found' : 'invalid_record',
      `${path}: cannot read a study report (${code ?? (e as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MultiraterError('invalid_record', `${path}: not JSON (truncated or corrupted)`);
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success)
    throw new MultiraterError(
      'invalid_record',
      `${path}: ${formatSchemaIssue(parsed.error.issues[0])}; expected a report.json as \`multirater study report\` writes it`,
    );
  const { schemaVersion: _version, ...report } = parsed.data;
  return report;
}
