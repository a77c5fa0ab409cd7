/**
 * A job-running child process (started by `job-pool.ts`): runs one job at a time as the parent asks over IPC,
 * forwarding progress and log lines, and dies with its parent (so a killed study leaves no orphans and no
 * late records). Two ways: the IPC channel's 'disconnect' when the event loop is free, and a watchdog thread that
 * looks every `WATCHDOG_MS` whether the parent is still the parent — a job that computes synchronously (a
 * simulation, a fusion) never gives the event loop back until it ends, so only another thread can notice in
 * time. The watchdog SIGKILLs the process: nothing of the job may run on, not even an exit handler.
 */
import { Worker } from 'node:worker_threads';
import { MultiraterError } from '../errors.ts';
import { executeJob } from './execute-job.ts';
import type { Job } from './job.ts';
import type { ChildReply, ChildRequest } from './job-pool.ts';
import { loadJobKindModules } from './jobs/builtins.ts';

/** How often the watchdog checks the parent, ms. */
const WATCHDOG_MS = 250;

// Inline (eval) so the thread needs no loader under tsx. When the parent dies the child is re-parented, so its
// ppid changes; `kill(parent, 0)` also catches a parent that is gone while the ppid is not yet updated.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const gone = () => {
  if (process.ppid !== workerData.parent) return true;
  try { process.kill(workerData.parent, 0); return false; } catch (e) { return e.code !== 'EPERM'; }
};
setInterval(() => { if (gone()) process.kill(process.pid, 'SIGKILL'); }, workerData.ms);
`;

// A parent that is gone (killed worker) closes the channel: the reply is dropped, not an unhandled 'error' event
// (the disconnect handler ends this process).
const send = (reply: ChildReply): void => {
  if (process.connected) process.send?.(reply, undefined, undefined, () => undefined);
};

new Worker(WATCHDOG, { eval: true, workerData: { parent: process.ppid, ms: WATCHDOG_MS } }).unref();
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the parent decides when children stop.
process.on('SIGINT', () => undefined);

process.on('message', (message: ChildRequest) => {
  const job: Job = message.job;
  void loadJobKindModules(message.kindModules ?? [])
    .then(() =>
      executeJob(job, message.out, {
        threads: message.threads,
        runner: message.runner,
        onProgress: (fraction) => send({ type: 'progress', key: job.key, fraction }),
        onLog: (line) => send({ type: 'log', key: job.key, line }),
      }),
    )
    .then(
      (r) => send({ type: 'result', key: job.key, status: r.status, done: r.done }),
      (e: unknown) => {
        const error = e as Error;
        send({
          type: 'error',
          key: job.key,
          error: {
            code: e instanceof MultiraterError ? e.code : null,
            message: error.message ?? String(e),
            stack: error.stack ?? null,
          },
        });
      },
    );
});
send({ type: 'ready' });
