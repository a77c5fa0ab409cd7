/**
 * `aggregate`: gathers the needed `evaluate` jobs' results into one `records.json` of compact, tagged per-case and
 * per-subject records (`evaluation-records.ts`), so a report reads one file. Spec: `{ entries: [{ role, tags }],
 * metrics }`, each role a need naming an evaluate job.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/index.ts';
import type { DatasetEvaluation } from '../../evaluation/index.ts';
import { evaluationRecords, type EvaluationRecords, type Tags } from '../evaluation-records.ts';
import { defineJobKind, needPath } from '../job-kind.ts';

/** The aggregate job's output in its folder: `EvaluationRecords` as JSON. */
export const RECORDS_FILE = 'records.json';

const aggregateSpec = z.looseObject({
  entries: z.array(z.object({ role: z.string(), tags: z.record(z.string(), z.union([z.string(), z.number()])) })),
  metrics: z.array(z.string()).optional(),
});

/** The `aggregate` job kind (see the file comment); its result names `records` and counts `cases` and `subjects`. */
export const aggregateJob = defineJobKind({
  kind: 'aggregate',
  resumable: false,
  spec: aggregateSpec,
  describe: (spec) => `${spec.entries.length} evaluations`,
  async run(spec, job, context) {
    const { entries } = spec;
    const metrics = spec.metrics ?? ['dice', 'hd'];
    const all: EvaluationRecords = { cases: [], subjects: [] };
    entries.forEach((entry, n) => {
      const evaluation = JSON.parse(
        readFileSync(needPath(job, context, entry.role, 'evaluation'), 'utf8'),
      ) as DatasetEvaluation;
      const records = evaluationRecords(evaluation, entry.tags, metrics);
      all.cases.push(...records.cases);
      all.subjects.push(...records.subjects);
      context.progress((n + 1) / entries.length);
    });
    writeFileAtomic(join(context.dir, RECORDS_FILE), JSON.stringify(all) + '\n');
    return { records: RECORDS_FILE, cases: all.cases.length, subjects: all.subjects.length };
  },
});
