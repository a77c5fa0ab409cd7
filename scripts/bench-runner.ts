/**
 * Benchmark of the study layer's own cost (no training): a `default` nonexpert study is planned, every job marked
 * finished with synthetic outputs (spec.json, done.json, and the aggregate's records.json with plausible numbers),
 * then (1) the runner's overhead per finished job — plan + skip check + record (spec.json and done.json written) —
 * and (2) `multirater study run nonexpert --preset default` on the finished study as a user runs it (built CLI,
 * plan + skip + report). Prints JSON. Usage: npm run build && npx tsx scripts/bench-runner.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/atomic-write.ts';
import { DONE_FILE, jobDir, SPEC_FILE, type Job, type JobDone } from '../src/experiments/job.ts';
import { CARDIAC_INDEX_NAMES } from '../src/metrics/clinical.ts';
import type { EvaluationRecords } from '../src/experiments/evaluation-records.ts';
import { planStudy, STUDY_FILE } from '../src/experiments/run-study.ts';
import { runJobs } from '../src/experiments/runner.ts';
import { Rng } from '../src/random/rng.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5);
const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/multirater.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function syntheticRecords(jobs: readonly Job[], rng: Rng): EvaluationRecords {
  const records: EvaluationRecords = { cases: [], subjects: [] };
  const groups = ['NOR', 'DCM', 'HCM', 'MINF', 'ARV'];
  for (const job of jobs.filter((j) => j.kind === 'evaluate')) {
    const subjects = job.tags.testSet === 'in-domain' ? 8 : 12;
    for (let s = 0; s < subjects; s++) {
      const subject = `subject${String(s + 1).padStart(3, '0')}`;
      const group = groups[s % groups.length];
      for (const frame of ['ED', 'ES']) {
        const metrics: Record<string, Record<string, number>> = {};
        const regions: Record<string, Record<string, number>> = { base: {}, mid: {}, apex: {} };
        for (const label of ['LV', 'MYO', 'RV']) {
          metrics[label] = { dice: 0.8 + 0.15 * rng.uniform(), hd: 3 + 10 * rng.uniform() };
          for (const pos of Object.keys(regions)) regions[pos][label] = 0.7 + 0.25 * rng.uniform();
        }
        records.cases.push({
          tags: job.tags,
          caseId: `${subject}_${frame}`,
          subject,
          group,
          vendor: 'A',
          frame,
          metrics,
          regions,
        });
      }
      const index = () =>
        Object.fromEntries(
          CARDIAC_INDEX_NAMES.map((n) => [n, 50 + 50 * rng.uniform()]),
        ) as EvaluationRecords['subjects'][number]['pred'];
      records.subjects.push({
        tags: job.tags,
        subject,
        group,
        pred: index(),
        ref: index(),
        error: index(),
        absError: index(),
      });
    }
  }
  return records;
}

function markFinished(out: string, jobs: readonly Job[], records: EvaluationRecords): void {
  for (const job of jobs) {
    const dir = jobDir(out, job.key);
    writeFileAtomic(join(dir, SPEC_FILE), JSON.stringify(job, null, 2) + '\n');
    const result: JobDone['result'] = job.kind === 'aggregate' ? { records: 'records.json' } : {};
    if (job.kind === 'aggregate') writeFileAtomic(join(dir, 'records.json'), JSON.stringify(records) + '\n');
    const done: JobDone = {
      schemaVersion: 1,
      key: job.key,
      kind: job.kind,
      result,
      seconds: 1,
      finishedAt: new Date().toISOString(),
    };
    writeFileAtomic(join(dir, DONE_FILE), JSON.stringify(done, null, 2) + '\n');
  }
}

const out = mkdtempSync(join(tmpdir(), 'multirater-bench-runner-'));
try {
  const perJob: number[] = [];
  let jobs: Job[] = [];
  for (let r = 0; r < runs; r++) {
    rmSync(join(out, 'jobs'), { recursive: true, force: true });
    const t0 = performance.now();
    const plan = planStudy('nonexpert', 'default');
    jobs = plan.jobs;
    const t1 = performance.now();
    markFinished(out, jobs, { cases: [], subjects: [] });
    const t2 = performance.now();
    const skip = await runJobs(jobs, { out, bar: false });
    const t3 = performance.now();
    if (skip.skipped !== jobs.length) throw new Error('not every job was skipped');
    perJob.push((t3 - t0) / 1000 / jobs.length);
    if (r === runs - 1) {
      process.stderr.write(
        `plan ${((t1 - t0) / 1000).toFixed(3)} s, record ${((t2 - t1) / 1000).toFixed(3)} s, skip ${((t3 - t2) / 1000).toFixed(3)} s for ${jobs.length} jobs\n`,
      );
    }
  }
  const plan = planStudy('nonexpert', 'default');
  markFinished(out, plan.jobs, syntheticRecords(plan.jobs, new Rng(1)));
  writeFileAtomic(join(out, STUDY_FILE), JSON.stringify({ schemaVersion: 1, plan }, null, 2) + '\n');
  const cli: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const p = spawnSync(
      process.execPath,
      [bin, 'study', 'run', 'nonexpert', '--preset', 'default', '--out', out, '--json'],
      { encoding: 'utf8' },
    );
    if (p.status !== 0) throw new Error(p.stderr);
    cli.push((performance.now() - t) / 1000);
  }
  process.stdout.write(
    JSON.stringify(
      {
        jobs: plan.jobs.length,
        runs,
        overheadSecondsPerFinishedJob: Number(median(perJob).toFixed(5)),
        studyRunOnFinishedDefaultSeconds: Number(median(cli).toFixed(3)),
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
