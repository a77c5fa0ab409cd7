/**
 * The queue survives Redis and killed workers (issue 29 C), short versions of scripts/bench-queue-soak.ts on the
 * synthetic study (`../synthetic-study.ts`, loaded by the runners as a kind module): every job done exactly once
 * — each completed one run, none started after a completed run, none ran in two places at once — and the same
 * table as the local runner's, with the runner's one line about the lost queue and the workers' one line per
 * dropped job instead of BullMQ's errors; the same when the queue is emptied under the study (FLUSHALL). A second
 * study on the same queue name ends the first runner in one line instead of each taking the queue back from the
 * other. Starts Debian's redis-server on a free loopback port.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { readStudyFile, writeStudyFile } from '../../src/experiments/study-file.ts';
import { tempDir } from '../dataset-trees.ts';
import { freePort, killGroup, REDIS_SERVER, startRedis, type Proc } from '../processes.ts';
import { runQueueSoak, startSoakProcess } from '../queue-soak.ts';
import { planSyntheticStudy } from '../synthetic-study.ts';

/** What runner and workers may say besides their jobs: Redis going away and coming back, once per outage. */
const outageLine = /^redis:\/\/127\.0\.0\.1:\d+: (cannot connect \(E[A-Z]+\); retrying for 30 s|connected again)$/;
const besidesOutage = (lines: string[]) => lines.filter((l) => !outageLine.test(l));

const lostLine =
  /^redis:\/\/127\.0\.0\.1:\d+ restarted \(a new run_id\) and lost the queue: (\d+) of (\d+) jobs done on disk \(done\.json\); re-enqueued the (\d+) unfinished$/;

describe.skipIf(!existsSync(REDIS_SERVER))('the queue path under a Redis restart and killed workers', () => {
  it('40 jobs, 2 workers, one SIGKILLed, Redis restarted empty: each job completed once, tables as the local runner’s', async () => {
    const r = await runQueueSoak({
      jobs: 40,
      workers: 2,
      kills: 1,
      killEveryMs: [1500, 1500],
      redisRestartAt: 0.4,
      seed: 3,
    });
    expect(r).toMatchObject({ kills: 1, redisRestarts: 1, tablesIdentical: true });
    expect(r.queue.result).toMatchObject({ total: 40, ran: 40, failed: [], blocked: [], interrupted: false });
    expect(r.runs).toMatchObject({
      completed: 40,
      completedPerJob: { 1: 40 },
      startedAfterCompletion: 0,
      overlapping: 0,
      notDone: 0,
    });
    expect(r.runs.started).toBeGreaterThanOrEqual(40);
    const said = besidesOutage(r.runnerLines);
    expect(said, r.runnerLines.join('\n')).toHaveLength(1);
    const [, done, total, requeued] = lostLine.exec(said[0]) ?? [];
    expect(Number(total)).toBe(40);
    expect(Number(done) + Number(requeued)).toBe(40);
    expect(r.workerLines.missingKeyErrors).toBe(0);
    expect(besidesOutage(r.workerLines.other)).toEqual([]);
    // One outage: at most its two lines from each worker alive then, and one job dropped by each.
    expect(r.workerLines.other.length, r.workerLines.other.join('\n')).toBeLessThanOrEqual(2 * 2);
    expect(new Set(r.workerLines.dropped).size).toBe(r.workerLines.dropped.length);
    expect(r.workerLines.dropped.length, r.workerLines.dropped.join('\n')).toBeLessThanOrEqual(2);
  }, 120_000);

  it('a job running when Redis restarts has its run stopped by its worker and runs again once, after it', async () => {
    const r = await runQueueSoak({
      jobs: 1,
      workers: 1,
      kills: 0,
      killEveryMs: [0, 0],
      redisRestartAt: 0,
      sleepMs: [4000, 4000],
      hashes: [10, 10],
    });
    expect(r.redisRestarts).toBe(1);
    expect(besidesOutage(r.runnerLines)).toEqual([
      expect.stringMatching(/lost the queue: 0 of 1 jobs done on disk \(done\.json\); re-enqueued the 1 unfinished$/),
    ]);
    expect(r.workerLines.dropped).toEqual([
      expect.stringMatching(
        /^■ synthetic-[0-9a-f]{12}  no longer on the queue \(Redis restarted empty, or the queue was replaced\): dropped, its run stopped; the study's runner enqueues again what is not done$/,
      ),
    ]);
    expect(r.workerLines.missingKeyErrors).toBe(0);
    expect(besidesOutage(r.workerLines.other)).toEqual([]);
    expect(r.runs).toMatchObject({ started: 2, completed: 1, startedAfterCompletion: 0, overlapping: 0, notDone: 0 });
    expect(r.tablesIdentical).toBe(true);
  }, 120_000);

  it('a queue emptied under a running study (FLUSHALL, the same Redis): the runner finds its jobs gone and enqueues the unfinished again', async () => {
    const r = await runQueueSoak({
      jobs: 20,
      workers: 2,
      kills: 0,
      killEveryMs: [0, 0],
      redisRestartAt: 0.3,
      redisLoss: 'flushall',
      seed: 4,
    });
    expect(r).toMatchObject({ redisRestarts: 1, tablesIdentical: true });
    expect(r.runs).toMatchObject({
      completed: 20,
      completedPerJob: { 1: 20 },
      startedAfterCompletion: 0,
      overlapping: 0,
      notDone: 0,
    });
    expect(r.runnerLines).toEqual([
      expect.stringMatching(
        /^redis:\/\/127\.0\.0\.1:\d+ queue multirater: \d+ unfinished job\(s\) gone from the queue \(synthetic-[0-9a-f]{12}(, …)?\): \d+ of 20 jobs done on disk \(done\.json\); re-enqueued the \d+ unfinished$/,
      ),
    ]);
    expect(r.workerLines.other).toEqual([]);
    expect(r.workerLines.missingKeyErrors).toBe(0);
  }, 120_000);

  it('a second study on the same queue name ends the first runner in one line, not a tug of war over the queue', async () => {
    const root = tempDir('queue-takeover');
    const procs: Proc[] = [];
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const client = new Redis(url, { lazyConnect: true });
    try {
      procs.push(await startRedis(port, root));
      const [a, b] = [join(root, 'a'), join(root, 'b')];
      const plans = [1, 2].map((seed) => planSyntheticStudy({ jobs: 3, seed }));
      [a, b].forEach((out, i) => {
        mkdirSync(out);
        writeStudyFile(out, plans[i]);
      });
      // No workers: the jobs stay on the queue.
      const first = startSoakProcess('runner', a, url);
      procs.push(first);
      await client.connect();
      const deadline = Date.now() + 30_000;
      while ((await client.exists(`bull:multirater:${plans[0].jobs[0].key}`)) === 0) {
        if (Date.now() > deadline) throw new Error(`the first runner enqueued nothing:\n${first.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      procs.push(startSoakProcess('runner', b, url));
      expect(await first.exit, first.stderr).toBe(1);
      const other = readStudyFile(b)?.id;
      expect(first.stderr).toBe(
        `multirater: ${url} queue multirater: now holds the jobs of study ${other} (another \`study run --queue\` on this queue name replaced this study's); give each study its own options.queueName\n`,
      );
      expect(existsSync(join(a, 'study.lock'))).toBe(false);
      expect(await client.exists(`bull:multirater:${plans[1].jobs[0].key}`)).toBe(1);
    } finally {
      client.disconnect();
      for (const p of procs) killGroup(p);
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
