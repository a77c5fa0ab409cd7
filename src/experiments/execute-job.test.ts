import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeJob, FAILED_FILE } from './execute-job.ts';
import { DONE_FILE, jobDir, makeJob } from './job.ts';
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
    await expect(executeJob(job, out, { runner: mine.lock })).rejects.toThrow(/no longer holds the lock .*; not recording the job$/);
    expect(existsSync(jobDir(out, job.key))).toBe(false);
    theirs.release();
  });

  it('writes neither done.json nor failed.json when the runner loses OUT during the job', async () => {
    const out = join(root, 'lost');
    const held = acquireStudyLock(out);
    const job = digits(3);
    await expect(executeJob(job, out, { runner: held.lock, onProgress: () => held.release() })).rejects.toThrow(/no longer holds the lock; not recording the job$/);
    expect(existsSync(join(jobDir(out, job.key), 'spec.json'))).toBe(true);
    expect(existsSync(join(jobDir(out, job.key), DONE_FILE))).toBe(false);
    expect(existsSync(join(jobDir(out, job.key), FAILED_FILE))).toBe(false);
  });
});
