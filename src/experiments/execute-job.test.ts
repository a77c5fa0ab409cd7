import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeJob, FAILED_FILE } from './execute-job.ts';
import { DONE_FILE, jobDir, makeJob, readJobRecords, SPEC_FILE } from './job.ts';
import { acquireStudyLock } from './study-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'multirater-execute-job-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const digits = (seed: number) => makeJob('simulate', { phantom: 'mnist', count: 4, seed });

describe('executeJob with its runner’s OUT lock', () => {
  it('records the job while the runner holds OUT', async () => {
    const out = join(root, 'held');
    const held = acquireStudyLock(out);
    const job = digits(1);
    expect((await executeJob(job, out, { runner: held.lock })).status).toBe('done');
    expect(existsSync(join(jobDir(out, job.key), DONE_FILE))).toBe(true);
    held.release();
  });

  it('does not start when another runner holds OUT', async () => {
    const out = join(root, 'other');
    const mine = acquireStudyLock(out);
    mine.release();
    const theirs = acquireStudyLock(out);
    const job = digits(2);
    await expect(executeJob(job, out, { runner: mine.lock })).rejects.toThrow(
      /no longer holds the lock .*; not recording the job$/,
    );
    expect(existsSync(jobDir(out, job.key))).toBe(false);
    theirs.release();
  });

  it('writes neither done.json nor failed.json when the runner loses OUT during the job', async () => {
    const out = join(root, 'lost');
    const held = acquireStudyLock(out);
    const job = digits(3);
    await expect(executeJob(job, out, { runner: held.lock, onProgress: () => held.release() })).rejects.toThrow(
      /no longer holds the lock; not recording the job$/,
    );
    expect(existsSync(join(jobDir(out, job.key), 'spec.json'))).toBe(true);
    expect(existsSync(join(jobDir(out, job.key), DONE_FILE))).toBe(false);
    expect(existsSync(join(jobDir(out, job.key), FAILED_FILE))).toBe(false);
  });
});

describe('executeJob on unreadable records', () => {
  it('runs the job again from an emptied folder, even a resumable kind’s (no checkpoint of unknown origin is resumed)', async () => {
    const out = join(root, 'unreadable');
    const sim = digits(4);
    const train = makeJob(
      'train',
      {
        model: 'unet2d',
        modelOptions: { features: [4, 8] },
        labelSource: 'good',
        iterations: 2,
        batchSize: 2,
        checkpointEvery: 1,
        seed: 1,
      },
      { data: sim },
    );
    await executeJob(sim, out);
    await executeJob(train, out, { threads: 1 });
    const weights = readFileSync(join(jobDir(out, train.key), 'model', 'model.onnx'));
    for (const [job, file] of [
      [sim, DONE_FILE],
      [train, DONE_FILE],
      [train, SPEC_FILE],
    ] as const) {
      const path = join(jobDir(out, job.key), file);
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, 25));
      writeFileSync(join(jobDir(out, job.key), 'stray.txt'), 'x');
      expect(readJobRecords(out, job.key).state).toBe('unreadable');
      expect((await executeJob(job, out, { threads: 1 })).status).toBe('done');
      expect(readJobRecords(out, job.key).state).toBe('done');
      expect(existsSync(join(jobDir(out, job.key), 'stray.txt')), `${job.kind} ${file}`).toBe(false);
    }
    expect(readFileSync(join(jobDir(out, train.key), 'model', 'model.onnx')).equals(weights)).toBe(true);
    const log = join(jobDir(out, train.key), 'log.txt');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('resuming');
  }, 60_000);
});
