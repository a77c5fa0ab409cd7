/**
 * Cost estimates kept as data (issue 28 §5): `docs/results/estimate-<study>-<preset>.json` holds what
 * `multirater study plan NAME --preset P --estimate --json` printed, for one or more machine counts, with the checkout's
 * provenance; `scripts/results-tables.ts --add-estimate FILE…` writes it and renders block `estimate-<study>-<preset>`
 * on `docs/studies/<study>.md`: CPU time per job kind, the predicted wall time per machine count, and, when the same
 * preset's measured run is in docs/results/ with its wall time, the estimate's error against it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CALIBRATION_SCHEDULE, ESTIMATE_METHOD_LABELS, formatWall } from '../src/bench/index.ts';
import { writeFileAtomic } from '../src/io/index.ts';
import {
  provenanceLine,
  readStudyReport,
  reportProvenanceSchema,
  tableToMarkdown,
  type ReportProvenance,
} from '../src/report/index.ts';

const kindSchema = z.object({
  kind: z.string(),
  jobs: z.number(),
  seconds: z.number(),
  share: z.number(),
  method: z.enum(['measured', 'per-step', 'one-run']),
});

/** The part of a `StudyEstimate` (`study plan --estimate --json`) the docs keep: no per-job list, no local path. */
const estimateSchema = z.object({
  study: z.string(),
  preset: z.string(),
  machines: z.number().int().positive(),
  workers: z.number().int().positive(),
  threads: z.number().int().positive().nullable(),
  machine: z.object({ cpu: z.string(), cpus: z.number() }),
  kinds: z.array(kindSchema),
  jobCount: z.number().int(),
  jobSeconds: z.number(),
  wallSeconds: z.number(),
  calibration: z.object({ classes: z.number(), seconds: z.number(), steps: z.number().nullable() }),
});
type KeptEstimate = z.infer<typeof estimateSchema>;

const estimateFileSchema = z.object({
  schemaVersion: z.literal(1),
  study: z.string(),
  preset: z.string(),
  provenance: reportProvenanceSchema,
  estimates: z.array(estimateSchema).min(1),
});
/** What `docs/results/estimate-<study>-<preset>.json` holds. */
export type EstimateFile = z.infer<typeof estimateFileSchema>;

/** Reads and checks an estimate results file; a one-line error names the file and the field. */
export function readEstimateFile(path: string): EstimateFile {
  const parsed = estimateFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** One `--estimate --json` output, read as the docs keep it. */
function keptEstimate(file: string, calibrationSteps: number | null): KeptEstimate {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  const jobs = raw?.jobs;
  const calibration = raw?.calibration as Record<string, unknown> | undefined;
  const parsed = estimateSchema.safeParse({
    ...raw,
    jobCount: Array.isArray(jobs) ? jobs.length : undefined,
    calibration: { classes: calibration?.classes, seconds: calibration?.seconds, steps: calibrationSteps },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: not a \`study plan --estimate --json\` output (${issue.path.join('.') || '(root)'}: ${issue.message})`,
    );
  }
  return parsed.data;
}

/**
 * Writes `docs/results/estimate-<study>-<preset>.json` from `files` (one `--estimate --json` output per machine
 * count, all of one study and preset), ordered by machines; returns its path relative to `root`.
 */
export function addEstimateResults(
  root: string,
  files: readonly string[],
  provenance: ReportProvenance,
  calibrationSteps: number | null,
): string {
  if (files.length === 0) throw new Error('--add-estimate FILE…: no file given');
  const estimates = files.map((f) => keptEstimate(f, calibrationSteps)).sort((a, b) => a.machines - b.machines);
  const { study, preset } = estimates[0];
  const other = estimates.find((e) => e.study !== study || e.preset !== preset);
  if (other !== undefined)
    throw new Error(`--add-estimate: ${other.study} --preset ${other.preset} beside ${study} --preset ${preset}`);
  const body: EstimateFile = { schemaVersion: 1, study, preset, provenance, estimates };
  const path = `docs/results/estimate-${study}-${preset}.json`;
  writeFileAtomic(join(root, path), JSON.stringify(body, null, 2) + '\n');
  return path;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
const signedPercent = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} %`;

/** The name of an estimate results file in docs/results/ (`estimate-<study>-<preset>.json`). */
export const ESTIMATE_FILE_NAME = /^estimate-[a-z0-9-]+\.json$/;

/**
 * The same preset's measured run in docs/results/ beside the file's one-machine estimate at that run's workers and
 * threads: both wall times and the estimate's relative error; null when there is no such run or estimate.
 */
function measuredComparison(
  root: string,
  file: EstimateFile,
): { estimate: KeptEstimate; measuredSeconds: number; error: string } | null {
  const path = join(root, 'docs', 'results', `${file.study}-${file.preset}`, 'report.json');
  const measured = existsSync(path) ? readStudyReport(path).provenance : undefined;
  if (measured?.wallSeconds === undefined) return null;
  const estimate = file.estimates.find(
    (e) => e.machines === 1 && e.workers === measured.workers && e.threads === measured.threads,
  );
  if (estimate === undefined) return null;
  const measuredSeconds = measured.wallSeconds;
  return { estimate, measuredSeconds, error: signedPercent(estimate.wallSeconds / measuredSeconds - 1) };
}

/** Optimiser steps per training class of the file's calibration. */
const stepsOf = (e: KeptEstimate): number => e.calibration.steps ?? CALIBRATION_SCHEDULE.iterations;

/** The block of an estimate file: provenance, CPU time per kind, wall time per machine count (and error, if measured). */
export function renderEstimate(root: string, file: EstimateFile, link: string): string {
  const first = file.estimates[0];
  const kinds = tableToMarkdown({
    id: 'kinds',
    title: 'CPU time per job kind',
    columns: [
      { key: 'kind', label: 'kind' },
      { key: 'jobs', label: 'jobs', decimals: 0 },
      { key: 'cpu', label: 'CPU time' },
      { key: 'share', label: 'share' },
      { key: 'method', label: 'estimated by' },
    ],
    rows: first.kinds.map((k) => ({
      kind: k.kind,
      jobs: k.jobs,
      cpu: formatWall(k.seconds),
      share: percent(k.share),
      method: ESTIMATE_METHOD_LABELS[k.method],
    })),
    footnotes: [],
  }).trimEnd();
  const comparison = measuredComparison(root, file);
  const threads = (e: KeptEstimate): string => (e.threads === null ? 'all cores' : `${e.threads} thread(s)`);
  const walls = file.estimates.map((e) => {
    const line = `- ${e.machines} machine(s) × ${e.workers} worker(s), ${threads(e)} per job: predicted wall **${formatWall(e.wallSeconds)}**`;
    return comparison?.estimate === e
      ? `${line}; measured ${formatWall(comparison.measuredSeconds)} (estimate ${comparison.error})`
      : line;
  });
  const steps = stepsOf(first);
  const calibrationSeconds = Math.max(...file.estimates.map((e) => e.calibration.seconds));
  return [
    `## Estimated cost of \`--preset ${file.preset}\``,
    `${provenanceLine(file.provenance)} ${link}`,
    `${first.jobCount} jobs, ${formatWall(first.jobSeconds)} of CPU time on ${first.machine.cpu} (${first.machine.cpus} CPUs), from a calibration of ${first.calibration.classes} cost classes (${steps} steps per training class${calibrationSeconds > 0 ? `, ${formatWall(calibrationSeconds)}` : ''}).`,
    kinds,
    walls.join('\n'),
  ].join('\n\n');
}

/** Every `docs/results/estimate-*.json` under `root`, in name order. */
export function estimateFiles(root: string): EstimateFile[] {
  const dir = join(root, 'docs', 'results');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => ESTIMATE_FILE_NAME.test(f))
    .sort()
    .map((f) => readEstimateFile(join(dir, f)));
}

/**
 * Block `estimates`: one row per estimate file (study, preset, jobs, CPU time, wall on 1 and on 10 machines, the
 * measured wall time and the error where the same preset's run is in docs/results/), for a page that compares them.
 */
export function renderEstimateSummary(root: string): string {
  const files = estimateFiles(root);
  if (files.length === 0) throw new Error('docs/results/ holds no estimate-*.json');
  const rows = files.map((file) => {
    const at = (machines: number): KeptEstimate | undefined => file.estimates.find((e) => e.machines === machines);
    const one = at(1);
    const comparison = measuredComparison(root, file);
    const first = file.estimates[0];
    return {
      study: file.study,
      preset: file.preset,
      jobs: first.jobCount,
      cpu: formatWall(first.jobSeconds),
      one: one === undefined ? '–' : formatWall(one.wallSeconds),
      ten: at(10) === undefined ? '–' : formatWall(at(10)!.wallSeconds),
      measured: comparison === null ? '–' : formatWall(comparison.measuredSeconds),
      error: comparison?.error ?? '–',
      steps: stepsOf(first),
    };
  });
  return tableToMarkdown({
    id: 'estimates',
    title: 'Estimates',
    columns: [
      { key: 'study', label: 'study' },
      { key: 'preset', label: 'preset' },
      { key: 'jobs', label: 'jobs', decimals: 0 },
      { key: 'cpu', label: 'CPU time' },
      { key: 'one', label: 'wall, 1 machine' },
      { key: 'ten', label: 'wall, 10 machines' },
      { key: 'measured', label: 'measured wall' },
      { key: 'error', label: 'estimate error' },
      { key: 'steps', label: 'calibration steps', decimals: 0 },
    ],
    rows,
    footnotes: [],
  }).trimEnd();
}
