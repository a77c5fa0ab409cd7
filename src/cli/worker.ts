/**
 * `multirater worker --queue redis://HOST:PORT --out DIR`: runs study jobs from a BullMQ queue on this machine,
 * writing into DIR (the same folder, shared, as `study run --queue` uses). Ctrl-C or SIGTERM stops it; its
 * running jobs go to another worker once their lock expires. It runs only jobs of the study DIR holds.
 */
import type { Command } from 'commander';
import { optional, positiveInteger } from './parse-number.ts';

interface WorkerFlags {
  queue: string;
  out: string;
  queueName?: string;
  workers?: string;
  threads?: string;
  lockDuration?: string;
  stalledInterval?: string;
  redisTimeout?: string;
}

/**
 * Adds `multirater worker` to `program`: `runQueueWorker`: a study's jobs from a BullMQ queue into the shared `--out`
 * folder.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run study jobs from a Redis (BullMQ) queue into a shared output folder')
    .requiredOption('--queue <url>', 'Redis URL, redis://HOST:PORT')
    .requiredOption('--out <dir>', 'the study output folder (shared filesystem)')
    .option('--queue-name <name>', 'BullMQ queue name (default multirater)')
    .option('--workers <n>', 'jobs at once, each in its own process (default 1)')
    .option('--threads <n>', 'ONNX Runtime threads per job (default: cores / workers)')
    .option('--lock-duration <ms>', 'job lock lifetime without renewal (default 30000)')
    .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers (default 30000)')
    .option('--redis-timeout <ms>', 'give up when Redis stays unreachable this long (default 30000)')
    .action(async (flags: WorkerFlags) => {
      const { runQueueWorker } = await import('../experiments/index.ts');
      const count = (flag: string, text: string | undefined) => optional(text, (t) => positiveInteger(flag, t));
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      await runQueueWorker({
        url: flags.queue,
        out: flags.out,
        queueName: flags.queueName,
        workers: count('--workers', flags.workers),
        threads: count('--threads', flags.threads),
        lockDurationMs: count('--lock-duration', flags.lockDuration),
        stalledIntervalMs: count('--stalled-interval', flags.stalledInterval),
        redisTimeoutMs: count('--redis-timeout', flags.redisTimeout),
        signal: controller.signal,
      });
    });
}
