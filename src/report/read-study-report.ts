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
  /** CPUs the process could use (affinity capped by a cgroup quota). */
  cores: z.number().int().positive(),
  /** The first CPU's model name, as the OS reports it. */
  cpuModel: z.string(),
  /** Physical memory, GiB (2³⁰ bytes), to one decimal. */
  memoryGiB: z.number(),
  /** `process.platform`-`process.arch`: `linux-x64`. */
  platform: z.string(),
  /** Node's version: `v20.19.0`. */
  node: z.string(),
});

/** The shape of {@link ReportProvenance}. */
export const reportProvenanceSchema = z.object({
  /** The checkout's git commit when `study run` started; null outside a git checkout or without git. */
  commit: z
    .object({
      /** HEAD's full hash (`git rev-parse HEAD`). */
      sha: z.string(),
      /** True when tracked files differed from HEAD (untracked files do not count). */
      dirty: z.boolean(),
    })
    .nullable(),
  /** When the report was made (ISO 8601, UTC). */
  date: z.string(),
  /** The machine `study run` ran on (with a queue: the one that enqueued the jobs). */
  machine: reportMachineSchema,
  /** The shell-quoted `study run` command line; null when no `study run` was recorded in OUT. */
  command: z.string().nullable(),
  /** Local worker processes; null on a queue or when not recorded. */
  workers: z.number().int().nullable(),
  /** ONNX Runtime threads per job; null when each job took every core, or when not recorded. */
  threads: z.number().int().nullable(),
  /** When the last `study run` on OUT started (ISO 8601, UTC); absent when not recorded. */
  startedAt: z.string().optional(),
  /** Seconds from the last `study run`'s start to the last job it finished; absent when not recorded. */
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
