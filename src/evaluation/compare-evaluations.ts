/**
 * Compares two dataset-mode evaluations (A and B) per label and metric: mean of each, mean difference A − B,
 * a two-sided p-value — paired t-test (or, on request, Wilcoxon signed-rank) over the common cases with `paired`
 * (the same cases must be in both), else Welch's t-test — Holm-adjusted over all comparisons made, and which is
 * better by the mean. Cardiac
 * results also compare the absolute errors of the clinical indices per subject.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { holmAdjust } from '../stats/index.ts';
import { pairedTTest, welchTTest } from '../stats/index.ts';
import { wilcoxonSignedRank } from '../stats/index.ts';
import { CARDIAC_INDEX_NAMES, type CardiacIndexName } from '../metrics/index.ts';
import { HIGHER_IS_BETTER, METRIC_NAMES, type MetricName } from '../metrics/index.ts';

const nullableNumber = z.number().nullable();
const evaluationSchema = z.object({
  dataset: z.string().optional(),
  cases: z.array(z.object({ caseId: z.string(), labels: z.record(z.string(), z.record(z.string(), nullableNumber)) })),
  clinical: z
    .object({ subjects: z.array(z.object({ subject: z.string(), absError: z.record(z.string(), nullableNumber) })) })
    .nullable()
    .optional(),
});

/**
 * A subject's |prediction − reference| per cardiac index (`CARDIAC_INDEX_NAMES`), as a comparison reads it: null
 * where not evaluated (no RV or myocardium label, EF with an EDV of 0), absent where the file has no value.
 */
export interface ComparedIndexErrors {
  /** LV end-diastolic volume error, mL. */
  readonly lvEdv_mL?: number | null;
  /** LV end-systolic volume error, mL. */
  readonly lvEsv_mL?: number | null;
  /** LV stroke volume (EDV − ESV) error, mL. */
  readonly lvSv_mL?: number | null;
  /** LV ejection fraction error, percentage points. */
  readonly lvEf_pct?: number | null;
  /** RV end-diastolic volume error, mL. */
  readonly rvEdv_mL?: number | null;
  /** RV end-systolic volume error, mL. */
  readonly rvEsv_mL?: number | null;
  /** RV stroke volume (EDV − ESV) error, mL. */
  readonly rvSv_mL?: number | null;
  /** RV ejection fraction error, percentage points. */
  readonly rvEf_pct?: number | null;
  /** Myocardial mass error, g. */
  readonly myoMass_g?: number | null;
}
type AssertTrue<T extends true> = T;
/** true when each of A and B is assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while `ComparedIndexErrors` has exactly the keys of `CARDIAC_INDEX_NAMES`, each `number | null`. */
type ComparedIndexErrorsInStep = AssertTrue<
  Mutual<keyof ComparedIndexErrors, CardiacIndexName> &
    Mutual<Required<ComparedIndexErrors>, { readonly [I in CardiacIndexName]: number | null }>
>;

/** The parts of a `DatasetEvaluation` (or its JSON) that a comparison reads. */
export interface EvaluationForComparison {
  /** Per case: label value → metric → value (null where the metric is undefined). */
  cases: readonly {
    /** Case id from dataset.json; a paired comparison matches cases by it. */
    caseId: string;
    /** Label value (as a string) → metric → value; null where the metric is undefined. */
    labels: Record<string, { readonly [M in MetricName]?: number | null }>;
  }[];
  /** Cardiac results: the absolute clinical-index errors per subject; null or absent otherwise. */
  clinical?: {
    /** One entry per subject with an ED and an ES case. */
    subjects: readonly {
      /** Subject id (`meta.subject`); a paired comparison matches subjects by it. */
      subject: string;
      /** |prediction − reference| per cardiac index (mL, percentage points, g); null where not evaluated. */
      absError: ComparedIndexErrors;
    }[];
  } | null;
}

/** Reads and checks an evaluation JSON written by `multirater eval --json` in dataset mode. */
export function readEvaluation(path: string): EvaluationForComparison {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MultiraterError('file_not_found', `${path}: no such file`);
    throw new MultiraterError('invalid_argument', `${path}: not a JSON evaluation (${(e as Error).message})`);
  }
  const parsed = evaluationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MultiraterError(
      'invalid_argument',
      `${path}: not a dataset evaluation (${issue.path.join('.') || '(root)'}: ${issue.message})`,
    );
  }
  return parsed.data;
}

/** Options of `compareEvaluations` (`multirater compare`): which test, significance level, names in messages. */
export interface CompareOptions {
  /** Paired t-test over the same cases (error unless both hold the same case ids); default false (Welch). */
  paired?: boolean;
  /** Paired test: 't' (default) or 'wilcoxon' (signed-rank); Wilcoxon needs `paired`. */
  test?: 't' | 'wilcoxon';
  /** Significance level for `significant`, applied to Holm-adjusted p-values; default 0.05. */
  alpha?: number;
  /** Names of A and B in error messages (their files); default "A" and "B". */
  names?: [string, string];
}

/** One metric compared between A and B. */
export interface MetricComparison {
  /** Mean of A: paired, over the `n` cases with a value in both; Welch, over A's non-null values. */
  meanA: number | null;
  /** Mean of B, over the same cases as meanA when paired. */
  meanB: number | null;
  /** Paired: mean of per-case differences A − B; Welch: meanA − meanB. */
  meanDifference: number | null;
  /** The test used: paired t, Welch's t, or Wilcoxon signed-rank. */
  test: 'paired-t' | 'welch-t' | 'wilcoxon';
  /** Values used: paired, the cases with a value in both A and B (meanA, meanB and meanDifference are all over
   * these); Welch, nA + nB. */
  n: number;
  /** Two-sided p-value; null when the test is undefined (too few values or zero variance). */
  p: number | null;
  /** Holm-adjusted p-value over every comparison in the result. */
  pHolm: number | null;
  /** pHolm < alpha. */
  significant: boolean;
  /** Which has the better mean ('tie' when equal); null when the metric has no better direction or no mean. */
  better: 'A' | 'B' | 'tie' | null;
}

/** Result of `compareEvaluations`: A against B per label and metric, and for the clinical indices. */
export interface EvaluationComparison {
  /** Whether the comparison was paired (per-case differences over the same cases). */
  paired: boolean;
  /** Significance level applied to the Holm-adjusted p-values. */
  alpha: number;
  /** Number of cases in A. */
  casesA: number;
  /** Number of cases in B. */
  casesB: number;
  /** Label → metric → comparison (volumes are not compared). */
  labels: Record<string, Record<string, MetricComparison>>;
  /** Absolute clinical-index errors per subject (lower is better), when both results have them. */
  clinicalAbsError: Record<string, MetricComparison> | null;
}

const COMPARED = METRIC_NAMES.filter((m) => HIGHER_IS_BETTER[m] !== null);

/** Compares evaluation A with B; see the file comment. */
export function compareEvaluations(
  a: EvaluationForComparison,
  b: EvaluationForComparison,
  options: CompareOptions = {},
): EvaluationComparison {
  const paired = options.paired ?? false;
  const wilcoxon = options.test === 'wilcoxon';
  if (wilcoxon && !paired)
    throw new MultiraterError(
      'invalid_argument',
      'compare: the Wilcoxon signed-rank test needs paired results (options.paired)',
    );
  const alpha = options.alpha ?? 0.05;
  const [nameA, nameB] = options.names ?? ['A', 'B'];
  const order = a.cases.map((c) => c.caseId);
  if (paired)
    assertSameIds(
      order,
      b.cases.map((c) => c.caseId),
      nameA,
      nameB,
      'cases',
    );
  const bById = new Map(b.cases.map((c) => [c.caseId, c]));
  const bCases = paired ? order.map((id) => bById.get(id)!) : b.cases;
  const labels = [...new Set(a.cases.flatMap((c) => Object.keys(c.labels)))].filter((l) =>
    b.cases.some((c) => l in c.labels),
  );
  const out: Record<string, Record<string, MetricComparison>> = {};
  const all: MetricComparison[] = [];
  for (const label of labels) {
    out[label] = {};
    for (const metric of COMPARED) {
      const va = a.cases.map((c) => c.labels[label]?.[metric] ?? null);
      const vb = bCases.map((c) => c.labels[label]?.[metric] ?? null);
      out[label][metric] = compareValues(va, vb, paired, wilcoxon, HIGHER_IS_BETTER[metric] === true);
      all.push(out[label][metric]);
    }
  }
  let clinicalAbsError: Record<string, MetricComparison> | null = null;
  if (a.clinical && b.clinical) {
    const subjectsA = a.clinical.subjects;
    const bySubject = new Map(b.clinical.subjects.map((s) => [s.subject, s]));
    if (paired)
      assertSameIds(
        subjectsA.map((s) => s.subject),
        b.clinical.subjects.map((s) => s.subject),
        nameA,
        nameB,
        'clinical subjects',
      );
    const subjectsB = paired ? subjectsA.map((s) => bySubject.get(s.subject)!) : b.clinical.subjects;
    clinicalAbsError = {};
    for (const index of CARDIAC_INDEX_NAMES) {
      const va = subjectsA.map((s) => s.absError[index] ?? null);
      const vb = subjectsB.map((s) => s.absError[index] ?? null);
      // Indices of structures neither result evaluated (e.g. RV in an LV-only dataset) are left out.
      if (va.every((v) => v === null) && vb.every((v) => v === null)) continue;
      clinicalAbsError[index] = compareValues(va, vb, paired, wilcoxon, false);
      all.push(clinicalAbsError[index]);
    }
  }
  const adjusted = holmAdjust(all.map((c) => c.p));
  all.forEach((c, i) => {
    c.pHolm = adjusted[i];
    c.significant = c.pHolm !== null && c.pHolm < alpha;
  });
  return { paired, alpha, casesA: a.cases.length, casesB: b.cases.length, labels: out, clinicalAbsError };
}

function compareValues(
  va: (number | null)[],
  vb: (number | null)[],
  paired: boolean,
  wilcoxon: boolean,
  higherIsBetter: boolean,
): MetricComparison {
  const test = paired ? pairedTTest(va, vb) : welchTTest(va, vb);
  const p = wilcoxon ? wilcoxonSignedRank(va, vb).p : test.p;
  // Paired: both means over the pairs the test uses (a case null on either side drops out of both), so that
  // meanA − meanB is the mean difference and all three describe the same n cases.
  const both = va.map((x, i) => x !== null && vb[i] !== null);
  const meanA = mean(paired ? va.filter((_, i) => both[i]) : va);
  const meanB = mean(paired ? vb.filter((_, i) => both[i]) : vb);
  let better: MetricComparison['better'] = null;
  if (test.meanDifference !== null) {
    const d = test.meanDifference;
    better = d === 0 ? 'tie' : d > 0 === higherIsBetter ? 'A' : 'B';
  }
  return {
    meanA,
    meanB,
    meanDifference: test.meanDifference,
    test: wilcoxon ? 'wilcoxon' : paired ? 'paired-t' : 'welch-t',
    n: test.n,
    p,
    pHolm: null,
    significant: false,
    better,
  };
}

function mean(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : xs.reduce((s, v) => s + v, 0) / xs.length;
}

function assertSameIds(a: readonly string[], b: readonly string[], nameA: string, nameB: string, what: string): void {
  const setB = new Set(b);
  const onlyA = a.filter((id) => !setB.has(id));
  const setA = new Set(a);
  const onlyB = b.filter((id) => !setA.has(id));
  if (onlyA.length || onlyB.length || a.length !== b.length) {
    const sample = onlyA.length
      ? `"${onlyA[0]}" only in ${nameA}`
      : onlyB.length
        ? `"${onlyB[0]}" only in ${nameB}`
        : 'duplicate ids';
    throw new MultiraterError(
      'invalid_argument',
      `${nameA}: paired comparison needs the same ${what} as ${nameB}, found ${a.length} vs ${b.length} (${sample})`,
    );
  }
}
