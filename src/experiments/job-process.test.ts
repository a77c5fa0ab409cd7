/**
 * A job process dies with its runner: the runner (a child running `runJobs`) is SIGKILLed while its job computes
 * synchronously (6000 simulated digits, several seconds without giving the event loop back, so the IPC
 * 'disconnect' cannot be seen), and the job process must be gone within a few seconds, leaving no done.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/processes.ts';
import { DONE_FILE, jobDir, makeJob } from './job.ts';
import { acquireStudyLock, readStudyLock } from './study-lock.ts';

const out = mkdtempSync(join(tmpdir(), 'multirater-job-process-'));
const spawned: number[] = [];
afterAll(() => {
  for (const pid of spawned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(out, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Pids whose parent is `pid` (Linux /proc). */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

describe('a job process', () => {
  it.skipIf(!existsSync('/proc/self/stat'))(
    'dies within seconds of its SIGKILLed runner, even mid-computation, and records nothing',
    async () => {
      const job = makeJob('simulate', { phantom: 'mnist', count: 6000, seed: 1 });
      const runner = new URL('./runner.ts', import.meta.url).pathname;
      const script = `import { runJobs } from ${JSON.stringify(runner)}; import { makeJob } from ${JSON.stringify(new URL('./job.ts', import.meta.url).pathname)};
      await runJobs([makeJob('simulate', { phantom: 'mnist', count: 6000, seed: 1 })], { out: ${JSON.stringify(out)}, bar: false });`;
      const child = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      spawned.push(child.pid!);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // The digits are being written: the job is in its synchronous loop.
      await waitFor(
        () => (existsSync(join(jobDir(out, job.key), 'data', 'images')) ? true : null),
        `the job computing (${stderr})`,
      );
      const [jobProcess] = childrenOf(child.pid!);
      expect(jobProcess).toBeGreaterThan(0);
      spawned.push(jobProcess);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      await waitFor(() => (alive(jobProcess) ? null : true), 'the job process to end', 10_000);
      expect(Date.now() - killedAt).toBeLessThan(5000);
      expect(existsSync(join(jobDir(out, job.key), DONE_FILE))).toBe(false);

      // The dead runner's lock is stale: the next runner takes it over with a message.
      expect(readStudyLock(out)?.pid).toBe(child.pid);
      const lines: string[] = [];
      acquireStudyLock(out, { log: (l) => lines.push(l) }).release();
      expect(lines[0]).toContain(`taking over the lock of pid ${child.pid}`);
    },
    60_000,
  );
});
