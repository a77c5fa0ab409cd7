/**
 * `multirater study` end to end on the smoke preset: resume (a second run does nothing), a SIGKILL mid-training
 * followed by a restart, and the BullMQ path with two workers of which one is killed mid-job must all give the
 * same bytes as one uninterrupted local run. The queue test starts Debian's redis-server on a free loopback port.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli.ts';
import {
  freePort,
  killGroup,
  REDIS_SERVER as REDIS,
  startProcess,
  startRedis,
  waitFor,
  type Proc,
} from '../processes.ts';
import { copySmokeStudy, smokeArgs, smokeStudy, studyTables as tables } from '../smoke-study.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-study-'));
const dirs = { reference: '', killed: join(root, 'killed'), queue: join(root, 'queue') };
const started: Proc[] = [];
if (!existsSync(REDIS))
  console.warn(`skipping the BullMQ queue test: ${REDIS} is not installed (apt-get install redis-server)`);

afterAll(() => {
  for (const p of started) killGroup(p);
  rmSync(root, { recursive: true, force: true });
});

const run = runCli;

/** `multirater args` (or `command args`), detached, killed with its group after the tests. */
function start(args: string[], command = process.execPath): Proc {
  const p = startProcess(command, command === process.execPath ? [BIN, ...args] : args);
  started.push(p);
  return p;
}

/** A training job that has written a checkpoint but not finished, or null. */
function trainingMidway(out: string): string | null {
  const jobs = join(out, 'jobs');
  if (!existsSync(jobs)) return null;
  for (const key of readdirSync(jobs)) {
    if (
      key.startsWith('train-') &&
      existsSync(join(jobs, key, 'model', 'checkpoint', 'latest.json')) &&
      !existsSync(join(jobs, key, 'done.json'))
    )
      return key;
  }
  return null;
}

const model = (out: string, key: string) => readFileSync(join(out, 'jobs', key, 'model', 'model.onnx'));
const smoke = (out: string, ...more: string[]) => smokeArgs('nonexpert', out, ...more);

describe('multirater study', () => {
  beforeAll(async () => {
    dirs.reference = await smokeStudy('nonexpert');
  }, 300_000);

  it('writes Tables 1–3 with significance marks explained, and a second run does no work', async () => {
    const md = tables(dirs.reference);
    for (const title of ['Table 1. Left ventricle (LV)', 'Table 2. Myocardium (MYO)', 'Table 3. Right ventricle (RV)'])
      expect(md).toContain(`# ${title}`);
    // The rendered report: every table, every figure as SVG, the HTML page.
    for (const f of ['report.md', 'report.html', 'figures/dice-by-slice.svg'])
      expect(existsSync(join(dirs.reference, 'report', f)), f).toBe(true);
    expect(md).toContain('* p < 0.05 against the model trained on the expert with CE+Dice');
    const report = JSON.parse(readFileSync(join(dirs.reference, 'report', 'report.json'), 'utf8'));
    expect(report.tables.map((t: { id: string }) => t.id)).toEqual([
      'table1-lv',
      'table2-myo',
      'table3-rv',
      'tests',
      'noise-by-loss',
      'noise-loss-effects',
    ]);
    expect(report.figures.map((f: { id: string }) => f.id)).toEqual(['dice-by-slice', 'dice-by-group']);
    expect(report.tables[3].rows[0]).toHaveProperty('pHolm');

    // The second run writes into its folder (lock, report), so it runs on a copy of the shared study.
    const second = await copySmokeStudy('nonexpert', join(root, 'second'));
    const again = run(...smoke(second), '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ schemaVersion: 1, total: 28, skipped: 28, ran: 0, failed: [] });
    expect(tables(second)).toBe(md);
    const status = JSON.parse(run('study', 'status', second, '--json').stdout);
    expect(status).toMatchObject({ study: 'nonexpert', preset: 'smoke', total: 28, done: 28, failed: [] });
  });

  it('reports failed jobs with their spec paths, runs the independent ones, and exits 1', () => {
    // The shifted phantom has only the expert rater and no test split: the nonexpert1(-random) trainings and the
    // in-domain predictions fail, the expert's training still runs.
    const plan = JSON.parse(readFileSync(join(dirs.reference, 'study.json'), 'utf8')).plan;
    const shifted = plan.jobs.find(
      (j: { kind: string; tags: { testSet?: string } }) => j.kind === 'simulate' && j.tags.testSet === 'shifted',
    ).key;
    const out = join(root, 'failing');
    const r = run(...smoke(out, '--data', join(dirs.reference, 'jobs', shifted, 'data')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /✗ train-[0-9a-f]{12} {2}failed: .*label source "nonexpert1" is neither "truth" nor a listed rater \(expert\) {2}\(spec .*spec\.json\)/,
    );
    expect(r.stderr).toMatch(/\nmultirater: 5 job\(s\) failed, first \S+ \(\S+spec\.json\): /);
    expect(r.stderr).toContain('1 jobs run, 0 already done, 5 failed, 10 not run');
  }, 120_000);

  it('killed with SIGKILL mid-training and restarted, gives the same tables and weights as an uninterrupted run', async () => {
    const study = start(smoke(dirs.killed));
    const key = await waitFor(() => trainingMidway(dirs.killed), 'a checkpoint mid-training', 240_000);
    killGroup(study);
    await study.exit;
    expect(existsSync(join(dirs.killed, 'jobs', key, 'done.json'))).toBe(false);
    const r = run(...smoke(dirs.killed));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dirs.killed, 'jobs', key, 'log.txt'), 'utf8')).toMatch(/^resuming at iteration \d+$/m);
    expect(model(dirs.killed, key).equals(model(dirs.reference, key))).toBe(true);
    expect(tables(dirs.killed)).toBe(tables(dirs.reference));
  }, 300_000);

  it.skipIf(!existsSync(REDIS))(
    'on a BullMQ queue with two workers, one killed mid-job, gives the same tables as the local runner',
    async () => {
      const port = await freePort();
      started.push(await startRedis(port, root));
      const url = `redis://127.0.0.1:${port}`;
      // A worker refuses an OUT that does not exist; it may exist before the study is planned into it.
      mkdirSync(dirs.queue);
      const worker = [
        'worker',
        '--queue',
        url,
        '--out',
        dirs.queue,
        '--lock-duration',
        '2000',
        '--stalled-interval',
        '1000',
      ];
      const workers = [start(worker), start(worker)];
      const study = start(smoke(dirs.queue, '--queue', url));
      const key = await waitFor(() => trainingMidway(dirs.queue), 'a checkpoint mid-training', 240_000);
      const victim = workers.findIndex((w) => w.stderr.includes(`▶ ${key}`));
      expect(victim).toBeGreaterThanOrEqual(0);
      killGroup(workers[victim]);
      expect(await study.exit, study.stderr).toBe(0);
      expect(workers[1 - victim].stderr).toContain(`▶ ${key}`);
      expect(readFileSync(join(dirs.queue, 'jobs', key, 'log.txt'), 'utf8')).toMatch(/^resuming at iteration \d+$/m);
      expect(model(dirs.queue, key).equals(model(dirs.reference, key))).toBe(true);
      expect(tables(dirs.queue)).toBe(tables(dirs.reference));
    },
    300_000,
  );
});
