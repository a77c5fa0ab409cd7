/**
 * One process of a queue soak run (`queue-soak.ts`), with the synthetic job kind loaded:
 *   runner --out DIR --queue URL   the study's runner (`runJobsOnQueue` on the plan in DIR/study.json); prints
 *                                  its result, and the CPU and wall time of that call, as JSON on stdout
 *   worker --out DIR --queue URL   one `multirater worker` (`runQueueWorker`, one job at a time) until SIGTERM
 * Run with tsx: node --import tsx/esm test/queue-soak-process.ts ROLE …
 */
import { performance } from 'node:perf_hooks';
import { MultiraterError } from '../src/errors.ts';
import { runQueueWorker } from '../src/experiments/queue-worker.ts';
import { runJobsOnQueue } from '../src/experiments/queue.ts';
import { readStudyFile } from '../src/experiments/study-file.ts';
import { SYNTHETIC_KIND_MODULE } from './synthetic-study.ts';

/** Worker settings of the soak: short locks, so a killed worker's job is handed on within seconds. */
const SOAK_WORKER = { lockDurationMs: 2000, stalledIntervalMs: 1000, waitMs: 200 };

const [role, ...args] = process.argv.slice(2);
const flag = (name: string): string => {
  const i = args.indexOf(name);
  if (i < 0 || args[i + 1] === undefined) throw new Error(`queue-soak-process ${role}: ${name} is required`);
  return args[i + 1];
};
const out = flag('--out');
const url = flag('--queue');
const kindModules = [SYNTHETIC_KIND_MODULE];

async function main(): Promise<void> {
  if (role === 'runner') {
    const plan = readStudyFile(out)?.plan;
    if (plan === undefined) throw new Error(`${out}: no study.json`);
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await runJobsOnQueue(plan.jobs, { out, url, kindModules, backoffMs: 500, bar: false });
    const cpu = process.cpuUsage(cpu0);
    const report = { result, wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
    await new Promise((r) => process.stdout.write(JSON.stringify(report) + '\n', r));
  } else if (role === 'worker') {
    const controller = new AbortController();
    process.once('SIGTERM', () => controller.abort());
    await runQueueWorker({ url, out, kindModules, ...SOAK_WORKER, signal: controller.signal });
  } else {
    throw new Error(`queue-soak-process: unknown role ${role} (runner or worker)`);
  }
}

// As the CLI ends: a MultiraterError's message alone, exit 1.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(
      `multirater: ${e instanceof MultiraterError ? e.message : String((e as Error).stack ?? e)}\n`,
      () => process.exit(1),
    );
  },
);
