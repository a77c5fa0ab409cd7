/**
 * A study folder knows what it holds, and its records are checked (issue 29 B), as a user meets them, on the
 * finished `nonexpert --preset smoke` run that `test/smoke-study.ts` shares, copied per case: another study, preset,
 * seed or `--data` in OUT is refused in one line unless `--force`, which says what it replaces and reuses the job
 * folders the new plan shares.
 * A truncated or wrong-shaped `done.json`, a truncated or edited `spec.json`, a deleted job folder and a truncated
 * `study.json` each give one line naming the file in `status`, `report` and `run`; `run` re-runs such a job (saying
 * so) and ends with the reference's tables and weights, on a BullMQ queue as locally; `report` refuses until then.
 * The queue case starts Debian's redis-server on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/experiments/job.ts';
import { BIN, runCli, runCliAsync, type CliResult } from '../cli.ts';
import { tempDir } from '../dataset-trees.ts';
import { smokeArgs, smokeStudy, studyTables as tables } from '../smoke-study.ts';

const REDIS = '/usr/bin/redis-server';
const run = runCli;
let root: string;
let reference: string;
const started: ChildProcess[] = [];

const smoke = (out: string, ...more: string[]) => smokeArgs('nonexpert', out, ...more);
/** The key of the reference plan's first job of `kind` whose tags match. */
const jobKey = (kind: string, tags: Record<string, string> = {}): string => {
  const plan = JSON.parse(readFileSync(join(reference, 'study.json'), 'utf8')).plan as {
    jobs: { kind: string; key: string; tags: Record<string, unknown> }[];
  };
  return plan.jobs.find((j) => j.kind === kind && Object.entries(tags).every(([k, v]) => j.tags[k] === v))!.key;
};
let n = 0;
/** A copy of the finished reference study. */
const copy = (): string => {
  const out = join(root, `case${n++}`);
  cpSync(reference, out, { recursive: true });
  return out;
};
const truncate = (path: string, bytes = 30): void => writeFileSync(path, readFileSync(path, 'utf8').slice(0, bytes));

/** Exit 1 and one line on stderr, `multirater: …` matching `pattern`. */
function oneLine(r: CliResult, pattern: RegExp | string): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/^multirater: [^\n]*\n$/);
  if (typeof pattern === 'string') expect(r.stderr).toBe(`multirater: ${pattern}\n`);
  else expect(r.stderr).toMatch(pattern);
}

/**
 * A folder whose job `key` has the unreadable record `problem`: status counts it not done and names it, report
 * refuses naming it, run says it runs it again, runs only it, and ends with the reference's tables.
 */
function unreadableJob(out: string, key: string, problem: string): void {
  const status = run('study', 'status', out);
  expect(status.code, status.stderr).toBe(0);
  expect(status.stdout).toMatch(
    /^nonexpert --preset smoke: 27\/28 jobs done \(.*\), 0 started, 0 failed, 1 unreadable; /,
  );
  expect(status.stdout).toContain(`\n  unreadable ${key}: ${problem}\n`);
  expect(JSON.parse(run('study', 'status', out, '--json').stdout)).toMatchObject({
    done: 27,
    unreadable: [{ key, problem }],
  });
  oneLine(
    run('study', 'report', out),
    `${out}: no report: 1 of 28 jobs have not finished: ${problem}. \`multirater study run nonexpert --preset smoke --seed 1 --out ${out}\` runs them; \`study report --partial\` reports the finished ones`,
  );
  const again = run(...smoke(out));
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr.split('\n')[0]).toBe(`${problem}; running the job again`);
  expect(again.stderr).toContain(`▶ ${key}`);
  expect(again.stderr).toContain('nonexpert --preset smoke: 1 jobs run, 27 already done, 0 failed, 0 not run');
  expect(tables(out)).toBe(tables(reference));
}

beforeAll(async () => {
  root = tempDir('study-records');
  reference = await smokeStudy('nonexpert');
}, 300_000);
afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('a study folder knows what it holds', () => {
  it('refuses another study, preset, seed or --data in one line naming what is there, leaving OUT as it was', () => {
    const out = copy();
    const before = ['study.json', 'report/report.md'].map((f) => readFileSync(join(out, f), 'utf8'));
    const there = `${out} holds the study nonexpert --preset smoke --seed 1, not`;
    const use = 'use another --out, or --force to replace it';
    oneLine(
      run('study', 'run', 'annotators', '--preset', 'smoke', '--out', out),
      `${there} annotators --preset smoke --seed 1 (another study); ${use}`,
    );
    oneLine(
      run('study', 'run', 'nonexpert', '--preset', 'default', '--out', out),
      `${there} nonexpert --preset default --seed 1 (another --preset); ${use}`,
    );
    oneLine(run(...smoke(out, '--seed', '2')), `${there} nonexpert --preset smoke --seed 2 (another --seed); ${use}`);
    const data = join(out, 'jobs', jobKey('simulate', { testSet: 'in-domain' }), 'data');
    oneLine(
      run(...smoke(out, '--data', data)),
      `${there} nonexpert --preset smoke --seed 1 --data ${data} (another --data); ${use}`,
    );
    expect(['study.json', 'report/report.md'].map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
    expect(existsSync(join(out, 'study.lock'))).toBe(false);
  }, 60_000);

  it('--force says in one line what it replaces, removes the old report and study.json, and reuses the job folders it shares', () => {
    const out = copy();
    const id = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')).id as string;
    rmSync(join(out, 'report', 'tables'), { recursive: true });
    writeFileSync(join(out, 'report', 'stale.md'), 'of the old study');
    const forced = run(...smoke(out, '--seed', '2', '--force'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr.split('\n')[0]).toBe(
      `--force: replacing the study nonexpert --preset smoke --seed 1 in ${out} with nonexpert --preset smoke --seed 2: removed ${join(out, 'report')} and ${join(out, 'study.json')}; the job folders stay, and the new plan reuses those it shares`,
    );
    expect(forced.stderr).toContain('28 jobs run, 0 already done');
    expect(existsSync(join(out, 'report', 'stale.md'))).toBe(false);
    const file = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8'));
    expect([file.plan.options.seed, file.id === id]).toEqual([2, false]);
    expect(readdirSync(join(out, 'jobs'))).toHaveLength(56);
    expect(tables(out)).not.toBe(tables(reference));

    // Back to seed 1: its 28 job folders are still there, so nothing runs and the tables are the reference's.
    const back = run(...smoke(out, '--force'));
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr.split('\n')[0]).toMatch(
      /^--force: replacing the study nonexpert --preset smoke --seed 2 in \S+ with nonexpert --preset smoke --seed 1: removed /,
    );
    expect(back.stderr).toContain('0 jobs run, 28 already done');
    expect(tables(out)).toBe(tables(reference));
  }, 60_000);
});

describe('corrupted records: one line naming the file, and run re-runs the job', () => {
  it('a truncated done.json of a training (a resumable job: it starts over, to the same weights)', () => {
    const out = copy();
    const key = jobKey('train', { rater: 'nonexpert1', loss: 'ce+dice' });
    const path = join(out, 'jobs', key, 'done.json');
    truncate(path);
    unreadableJob(out, key, `${path}: not JSON (truncated or corrupted)`);
    // The copy's checkpoint names the reference's dataset path: had the folder been kept, resuming it would have
    // failed ("was written with different settings").
    const weights = (dir: string) => readFileSync(join(dir, 'jobs', key, 'model', 'model.onnx'));
    expect(weights(out).equals(weights(reference))).toBe(true);
  }, 60_000);

  it('a done.json of the wrong shape', () => {
    const out = copy();
    const key = jobKey('evaluate', { testSet: 'shifted' });
    const path = join(out, 'jobs', key, 'done.json');
    writeFileSync(
      path,
      JSON.stringify({ schemaVersion: 1, key, kind: 'evaluate', seconds: 1, finishedAt: '2026-01-01T00:00:00.000Z' }),
    );
    unreadableJob(out, key, `${path}: not a done record (result: Invalid input: expected record, received undefined)`);
  }, 60_000);

  it('a truncated spec.json', () => {
    const out = copy();
    const key = jobKey('simulate', { testSet: 'shifted' });
    const path = join(out, 'jobs', key, 'spec.json');
    truncate(path);
    unreadableJob(out, key, `${path}: not JSON (truncated or corrupted)`);
  }, 60_000);

  it('a spec.json edited so that it no longer hashes to its folder’s id', () => {
    const out = copy();
    const key = jobKey('predict', { testSet: 'in-domain' });
    const path = join(out, 'jobs', key, 'spec.json');
    const job = JSON.parse(readFileSync(path, 'utf8'));
    job.spec.split = 'train';
    writeFileSync(path, JSON.stringify(job));
    unreadableJob(
      out,
      key,
      `${path}: its kind, spec and needs hash to predict-${jobId('predict', job.spec, job.needs)}, not to its key ${key} (edited, or copied from another job)`,
    );
  }, 60_000);

  it('a deleted job folder: report refuses naming it (or --partial reports the rest, saying so), status counts it, run runs it', () => {
    const out = copy();
    const key = jobKey('evaluate', { testSet: 'in-domain' });
    rmSync(join(out, 'jobs', key), { recursive: true });
    expect(run('study', 'status', out).stdout).toMatch(
      /^nonexpert --preset smoke: 27\/28 jobs done .*evaluate 9\/10.*, 0 started, 0 failed; /,
    );
    oneLine(
      run('study', 'report', out),
      new RegExp(
        `^multirater: \\S+: no report: 1 of 28 jobs have not finished: ${key} \\(no folder\\)\\. \`multirater study run nonexpert --preset smoke --seed 1 --out \\S+\` runs them; `,
      ),
    );
    const partial = run('study', 'report', out, '--partial');
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toBe(`partial report: 1 job(s) not finished, first ${key} (no folder)\n`);
    expect(partial.stdout).toContain(join(out, 'report', 'report.md'));
    const again = run(...smoke(out));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('1 jobs run, 27 already done');
    expect(tables(out)).toBe(tables(reference));
  }, 60_000);

  it('a truncated study.json: one line in status and report; run refuses unless --force, which reuses every job', () => {
    const out = copy();
    const path = join(out, 'study.json');
    truncate(path, 50);
    const fix = `; \`multirater study run NAME --out ${out} --force\` replaces it`;
    oneLine(run('study', 'status', out), `${path}: not JSON (truncated or corrupted)${fix}`);
    oneLine(run('study', 'report', out), `${path}: not JSON (truncated or corrupted)${fix}`);
    oneLine(
      run(...smoke(out)),
      `${path}: not JSON (truncated or corrupted), so which study ${out} holds is unknown; --force replaces it with nonexpert --preset smoke --seed 1 (removing ${join(out, 'report')}; the job folders stay, and the new plan reuses those it shares)`,
    );
    const forced = run(...smoke(out, '--force'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr.split('\n')[0]).toBe(
      `--force: replacing the unreadable ${path} with nonexpert --preset smoke --seed 1: removed ${join(out, 'report')} and ${path}; the job folders stay, and the new plan reuses those it shares`,
    );
    expect(forced.stderr).toContain('0 jobs run, 28 already done');
    expect(tables(out)).toBe(tables(reference));
  }, 60_000);
});

describe.skipIf(!existsSync(REDIS))('on a BullMQ queue', () => {
  it('the runner says it runs a job with an unreadable done.json again, a worker runs it, and the tables are the reference’s', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    started.push(
      spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root], {
        stdio: 'ignore',
      }),
    );
    const reachable = () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => resolve(false));
        socket.on('connect', () => {
          socket.end();
          resolve(true);
        });
      });
    while (!(await reachable())) await new Promise((r) => setTimeout(r, 50));
    const url = `redis://127.0.0.1:${port}`;
    const out = copy();
    const key = jobKey('evaluate', { testSet: 'shifted' });
    const path = join(out, 'jobs', key, 'done.json');
    truncate(path);
    const worker = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.push(worker);
    let log = '';
    worker.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const r = await runCliAsync(smoke(out, '--queue', url), { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`${path}: not JSON (truncated or corrupted); running the job again`);
    expect(r.stderr).toContain('1 jobs run, 27 already done');
    expect(log).toContain(`✓ ${key}`);
    expect(tables(out)).toBe(tables(reference));
    worker.kill('SIGTERM');
  }, 60_000);
});
