/**
 * Runs independent tasks on worker threads (node:worker_threads), each worker taking the next task as soon as it
 * is free, and returns the results in task order — so output that is assembled from the results does not depend
 * on scheduling. A built (`.js`) worker script is started as it is; a TypeScript source (tests run the sources) gets a
 * two-line bootstrap that registers tsx's loader first (a dev dependency, never loaded from `dist/`). A worker
 * script answers each `{ index, task }` message with
 * `{ index, result }` or `{ index, error: { code, message } }` (see `simulate-cardiac-worker.ts`).
 */
import { Worker } from 'node:worker_threads';
import { MultiraterError, type MultiraterErrorCode } from '../errors.ts';

/** Options of `runInWorkers`: thread count and a per-result callback. */
export interface RunInWorkersOptions<R> {
  /** Worker threads to start (≥ 1; at most one per task is started). */
  threads: number;
  /** Called on the main thread as each result arrives, with the number of tasks done so far. */
  onResult?: (result: R, index: number, done: number) => void;
}

/** A worker's answer to one task. */
export type WorkerReply<R> =
  { index: number; result: R } | { index: number; error: { code: MultiraterErrorCode | 'internal'; message: string } };

/** Runs `tasks` on `options.threads` workers of `script`; resolves to the results in task order. */
export function runInWorkers<T, R>(script: URL, tasks: readonly T[], options: RunInWorkersOptions<R>): Promise<R[]> {
  const entry = script.pathname.endsWith('.ts') ? typeScriptBootstrap(script) : script;
  const results = new Array<R>(tasks.length);
  const workers: Worker[] = [];
  const retired = new Set<Worker>();
  return new Promise<R[]>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const feed = (worker: Worker) => {
      if (next < tasks.length) {
        worker.postMessage({ index: next, task: tasks[next] });
        next++;
      } else {
        retired.add(worker);
        void worker.terminate();
      }
    };
    const threads = Math.max(1, Math.min(options.threads, tasks.length));
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(entry);
      workers.push(worker);
      worker.on('message', (reply: WorkerReply<R>) => {
        if ('error' in reply) {
          const { code, message } = reply.error;
          fail(code === 'internal' ? new Error(message) : new MultiraterError(code, message));
          return;
        }
        results[reply.index] = reply.result;
        done++;
        options.onResult?.(reply.result, reply.index, done);
        feed(worker);
        if (done === tasks.length) resolve(results);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!retired.has(worker) && !failed && done < tasks.length)
          fail(new Error(`worker thread ${script.pathname} exited with code ${code}`));
      });
      feed(worker);
    }
    if (tasks.length === 0) resolve(results);
  });
}

/** A data: URL that registers tsx's loader (resolved from this package, so from any working directory), then imports `script`. */
function typeScriptBootstrap(script: URL): URL {
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\nregister();\nawait import(${JSON.stringify(script.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** The module `name` beside the module at `base` (an `import.meta.url`), with base's extension: `.ts` in the sources, `.js` in `dist/`. */
export function siblingModule(name: string, base: string): URL {
  const extension = new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, base);
}
