/**
 * Compact per-case and per-subject records of evaluations, tagged with what produced them (model, training rater,
 * test set, …): what the `aggregate` job writes and what a study's report reads. Label keys are the dataset's label
 * names (LV, MYO, RV), metric values as `evaluateDataset` gives them (mm, mL, g, %), null where undefined.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardiacIndexErrors } from '../metrics/index.ts';
import type { DatasetEvaluation } from '../evaluation/index.ts';
import { jobDir } from './job.ts';
import type { FinishedStudy } from './study.ts';

/** A job's study-level labels (model, rater, repeat, …; `Job.tags`), copied onto each record it produced. */
export type Tags = Record<string, string | number>;

/** One evaluated case. */
export interface CaseRecord {
  /** Labels of the job whose evaluation this is. */
  tags: Tags;
  /** Case id from dataset.json. */
  caseId: string;
  /** The case's `meta.subject`; null when it has none. */
  subject: string | null;
  /** The case's `meta.group` (diagnostic group); null when it has none. */
  group: string | null;
  /** The case's `meta.vendor` (scanner vendor); null when it has none. */
  vendor: string | null;
  /** The case's `meta.frame` ('ED', 'ES' or a frame number); null when it has none. */
  frame: string | number | null;
  /** Label name → metric name → value. */
  metrics: Record<string, Record<string, number | null>>;
  /** Slice position (base, mid, apex) → label name → Dice; null for non-cardiac datasets. */
  regions: Record<string, Record<string, number | null>> | null;
}

/** One subject's clinical indices (cardiac datasets). */
export interface SubjectRecord {
  /** Labels of the job whose evaluation this is. */
  tags: Tags;
  /** Subject id (`meta.subject`) whose ED and ES cases gave the indices. */
  subject: string;
  /** The subject's `meta.group` (diagnostic group), from its cases; null when they have none. */
  group: string | null;
  /** Indices from the predicted label maps (mL, %, g); null for structures not evaluated. */
  pred: CardiacIndexErrors;
  /** Indices from the reference label maps (mL, %, g); null for structures not evaluated. */
  ref: CardiacIndexErrors;
  /** Signed error per index, prediction − reference (mL, percentage points, g); null where either is null. */
  error: CardiacIndexErrors;
  /** Absolute error per index, |prediction − reference|; null where either is null. */
  absError: CardiacIndexErrors;
}

/** What `aggregate` writes to `records.json`. */
export interface EvaluationRecords {
  /** One per evaluated case (of every evaluation gathered). */
  cases: CaseRecord[];
  /** One per subject with an ED and an ES case, cardiac datasets only; empty otherwise. */
  subjects: SubjectRecord[];
}

/** The records of one evaluation, keeping only `metrics` (default dice and hd). */
export function evaluationRecords(
  evaluation: DatasetEvaluation,
  tags: Tags,
  metrics: readonly string[] = ['dice', 'hd'],
): EvaluationRecords {
  const names = evaluation.labelNames;
  const cases = evaluation.cases.map((c): CaseRecord => ({
    tags,
    caseId: c.caseId,
    subject: c.subject,
    group: c.group,
    vendor: c.vendor,
    frame: c.frame,
    metrics: Object.fromEntries(
      Object.entries(c.labels).map(([label, m]) => {
        const values: Record<string, number | null> = { ...m };
        return [names[label] ?? label, Object.fromEntries(metrics.map((k) => [k, values[k] ?? null]))];
      }),
    ),
    regions:
      c.regions === null
        ? null
        : Object.fromEntries(
            Object.entries(c.regions).map(([pos, byLabel]) => [
              pos,
              Object.fromEntries(Object.entries(byLabel).map(([l, d]) => [names[l] ?? l, d ?? null])),
            ]),
          ),
  }));
  const groupOf = new Map(evaluation.cases.map((c) => [c.subject, c.group]));
  const subjects = (evaluation.clinical?.subjects ?? []).map((s): SubjectRecord => ({
    tags,
    subject: s.subject,
    group: groupOf.get(s.subject) ?? null,
    pred: s.pred,
    ref: s.ref,
    error: s.error,
    absError: s.absError,
  }));
  return { cases, subjects };
}

/**
 * The records of a study's finished evaluations: the `aggregate` job's `records.json` when it has finished, else
 * those of every finished `evaluate` job (tagged as planned), so a partial study still reports what it has.
 */
export function finishedRecords(finished: FinishedStudy): EvaluationRecords {
  const aggregate = finished.plan.jobs.find((j) => j.kind === 'aggregate' && finished.done.has(j.key));
  if (aggregate !== undefined) {
    const file = finished.done.get(aggregate.key)!.result.records as string;
    return JSON.parse(readFileSync(join(jobDir(finished.out, aggregate.key), file), 'utf8')) as EvaluationRecords;
  }
  const all: EvaluationRecords = { cases: [], subjects: [] };
  for (const job of finished.plan.jobs) {
    const done = finished.done.get(job.key);
    if (job.kind !== 'evaluate' || done === undefined) continue;
    const evaluation = JSON.parse(
      readFileSync(join(jobDir(finished.out, job.key), done.result.evaluation as string), 'utf8'),
    ) as DatasetEvaluation;
    const records = evaluationRecords(evaluation, job.tags);
    all.cases.push(...records.cases);
    all.subjects.push(...records.subjects);
  }
  return all;
}
