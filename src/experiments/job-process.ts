/**
 * A job-running child process (started by `job-pool.ts`): runs one job at a time as the parent asks over IPC,
 * forwarding progress and log lines, and exits when the parent goes away (so a killed study leaves no orphans).
 */
import { MultiraterError } from '../errors.ts';
import { executeJob } from './execute-job.ts';
import type { Job } from './job.ts';
import type { ChildReply, ChildRequest } from './job-pool.ts';

const send = (reply: ChildReply): void => {
  process.send?.(reply);
};

process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the parent decides when children stop.
process.on('SIGINT', () => undefined);

process.on('message', (message: ChildRequest) => {
  const job: Job = message.job;
  void executeJob(job, message.out, {
    threads: message.threads,
    onProgress: (fraction) => send({ type: 'progress', key: job.key, fraction }),
    onLog: (line) => send({ type: 'log', key: job.key, line }),
  }).then(
    (r) => send({ type: 'result', key: job.key, status: r.status, done: r.done }),
    (e: unknown) => {
      const error = e as Error;
      send({ type: 'error', key: job.key, error: { code: e instanceof MultiraterError ? e.code : null, message: error.message ?? String(e), stack: error.stack ?? null } });
    },
  );
});
send({ type: 'ready' });
