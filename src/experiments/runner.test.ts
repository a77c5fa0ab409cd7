import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobDir, makeJob, readDone } from './job.ts';
import { runJobs } from './runner.ts';

const out = mkdtempSync(join(tmpdir(), 'multirater-runner-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const sink = {
  lines: [] as string[],
  write(text: string) {
    this.lines.push(text);
  },
};
const phantom = (seed: number) =>
  makeJob('simulate', {
    phantom: 'cardiac',
    subjects: 1,
    size: 32,
    vendors: ['A'],
    frames: 2,
    raters: ['expert'],
    seed,
  });

describe('runJobs (local, child processes)', () => {
  const good = phantom(1);
  const bad = makeJob('simulate', { phantom: 'no-such-phantom', seed: 1 });
  const downstream = makeJob('train', { labelSource: 'expert', iterations: 1 }, { data: bad });
  const independent = phantom(2);
  const jobs = [good, bad, downstream, independent];

  it('reports a failed job with its spec path and error, skips what needs it, runs the rest', async () => {
    const r = await runJobs(jobs, { out, workers: 2, threads: 1, stream: sink, bar: false });
    expect(r.failed.map((f) => f.key)).toEqual([bad.key]);
    expect(r.failed[0].specPath).toBe(join(jobDir(out, bad.key), 'spec.json'));
    expect(r.failed[0].message).toBe(
      `job ${bad.key}: spec.phantom: unknown phantom "no-such-phantom" (expected cardiac, mnist, headneck or braingrowth)`,
    );
    expect(JSON.parse(readFileSync(r.failed[0].specPath, 'utf8')).spec.phantom).toBe('no-such-phantom');
    expect(r.blocked).toEqual([downstream.key]);
    expect(r.ran).toBe(2);
    expect(readDone(out, good.key)?.result).toMatchObject({ dataset: 'data', cases: 2 });
    expect(readDone(out, independent.key)).not.toBeNull();
    expect(sink.lines.join('')).toContain(`✗ ${bad.key}  failed:`);
  });

  it('does no work the second time: finished jobs are skipped, only the failed one is retried', async () => {
    const again = await runJobs([good, independent], { out, stream: sink, bar: false });
    expect(again).toMatchObject({ total: 2, skipped: 2, ran: 0, failed: [], interrupted: false });
    const retry = await runJobs(jobs, { out, threads: 1, stream: sink, bar: false });
    expect(retry).toMatchObject({ skipped: 2, ran: 0, blocked: [downstream.key] });
    expect(retry.failed.map((f) => f.key)).toEqual([bad.key]);
  });
});
