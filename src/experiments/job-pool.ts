/**
 * A pool of job-running child processes (`job-process.ts`, found with `siblingModule`): each runs one job at a
 * time, so a crash or an out-of-memory in one job cannot take down the runner, and ONNX Runtime's threads of
 * different jobs never share a process. A TypeScript child gets tsx's loader; a built one runs on plain node.
 * Children die with the process that started them (`job-process.ts`), and a job given its runner's OUT lock
 * records itself only while that runner holds OUT.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { siblingModule } from '../raters/index.ts';
import type { Job, JobDone } from './job.ts';
import type { StudyLock } from './study-lock.ts';

/** Parent → child. */
export interface ChildRequest {
  /** The job to run. */
  job: Job;
  /** The study's output folder (OUT). */
  out: string;
  /** ONNX Runtime intra-op threads for the job; undefined = the physical cores. */
  threads?: number;
  /** The OUT lock of the job's runner: the job writes its records only while the lock names that runner. */
  runner?: StudyLock;
  /** Modules of job kinds beyond the builtins, loaded before the job (`loadJobKindModules`). */
  kindModules?: readonly string[];
}

/** Child → parent. */
export type ChildReply =
  | { type: 'ready' }
  | { type: 'progress'; key: string; fraction: number }
  | { type: 'log'; key: string; line: string }
  | { type: 'result'; key: string; status: 'done' | 'skipped'; done: JobDone }
  | { type: 'error'; key: string; error: { code: string | null; message: string; stack: string | null } };

/** How a job ended in a child. */
export type JobOutcome =
  { ok: true; status: 'done' | 'skipped'; done: JobDone } | { ok: false; code: string | null; message: string };

/** Options of `new JobPool`: how many children, the study folder, threads per job and the callbacks. */
export interface JobPoolOptions {
  /** Child processes (≥ 1). */
  size: number;
  /** The study's output folder. */
  out: string;
  /** ONNX Runtime threads per job; undefined = the physical cores. */
  threads?: number;
  /** Progress of the job `key` within itself, 0…1. */
  onProgress?: (key: string, fraction: number) => void;
  /** A log line of the job `key` (the child also appends it to the job's log.txt). */
  onLog?: (key: string, line: string) => void;
  /** Modules of job kinds beyond the builtins (tests and benchmarks), handed to each child with its job. */
  kindModules?: readonly string[];
}

interface Slot {
  child: ChildProcess | null;
  busy: { key: string; resolve: (o: JobOutcome) => void } | null;
}

/** Child processes that run jobs; see the file comment. */
export class JobPool {
  private readonly slots: Slot[];
  private closed = false;

  /** Starts no process yet: each of the `options.size` (at least 1) children is forked when it is first given a job. */
  constructor(private readonly options: JobPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ child: null, busy: null }));
  }

  /** Free slots. */
  get idle(): number {
    return this.slots.filter((s) => s.busy === null).length;
  }

  /** Runs `job` in a free child (there must be one); resolves when it ends, never rejects. */
  run(job: Job, runner?: StudyLock): Promise<JobOutcome> {
    const slot = this.slots.find((s) => s.busy === null);
    if (slot === undefined || this.closed) throw new Error('JobPool.run: no idle child');
    return new Promise<JobOutcome>((resolve) => {
      slot.busy = { key: job.key, resolve };
      const child = slot.child ?? this.spawn(slot);
      const request: ChildRequest = {
        job,
        out: this.options.out,
        threads: this.options.threads,
        runner,
        kindModules: this.options.kindModules,
      };
      child.send(request);
    });
  }

  /** Kills the child running job `key` (its run resolves as failed); false when no child runs it. */
  cancel(key: string): boolean {
    const child = this.slots.find((s) => s.busy?.key === key)?.child;
    if (child === null || child === undefined) return false;
    child.kill('SIGKILL');
    return true;
  }

  private spawn(slot: Slot): ChildProcess {
    const script = siblingModule('job-process', import.meta.url);
    const execArgv = script.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx/esm')] : [];
    const child = fork(script, [], { execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout?.pipe(process.stderr);
    slot.child = child;
    const finish = (outcome: JobOutcome): void => {
      const busy = slot.busy;
      slot.busy = null;
      busy?.resolve(outcome);
    };
    child.on('message', (reply: ChildReply) => {
      if (reply.type === 'progress') this.options.onProgress?.(reply.key, reply.fraction);
      else if (reply.type === 'log') this.options.onLog?.(reply.key, reply.line);
      else if (reply.type === 'result') finish({ ok: true, status: reply.status, done: reply.done });
      else if (reply.type === 'error')
        finish({
          ok: false,
          code: reply.error.code,
          message: reply.error.code === null && reply.error.stack ? reply.error.stack : reply.error.message,
        });
    });
    child.on('exit', (code, signal) => {
      if (slot.child === child) slot.child = null;
      if (!this.closed)
        finish({
          ok: false,
          code: null,
          message: `job process exited (${signal ?? `code ${code}`}) while running the job`,
        });
    });
    return child;
  }

  /** Stops every child (SIGKILL: a running job resumes from its checkpoint next time); pending runs never resolve. */
  close(): Promise<void> {
    return this.stopChildren((c) => c.kill('SIGKILL'));
  }

  /** Ends the idle children gracefully once no more jobs will come. */
  shutdown(): Promise<void> {
    return this.stopChildren((c) => c.disconnect());
  }

  private async stopChildren(stop: (child: ChildProcess) => void): Promise<void> {
    this.closed = true;
    const alive = this.slots
      .map((s) => s.child)
      .filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null);
    await Promise.all(
      alive.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('exit', () => resolve());
            stop(c);
          }),
      ),
    );
  }
}
