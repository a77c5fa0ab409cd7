/**
 * What a study run shows on stderr: one line per job start and end (and failure), and one overall bar — jobs
 * done / total and an ETA from the jobs finished in this run (mean wall time per kind, shared over the workers).
 * On a terminal the bar redraws in place under the lines; elsewhere it is a line after each finished job.
 */
import { formatDuration, type ProgressStream } from '../train/index.ts';

/** Options of `new RunProgress`: job counts, workers sharing the ETA, and where to draw. */
export interface RunProgressOptions {
  /** Jobs in the plan, finished or not: the bar's 100 %. */
  total: number;
  /** Jobs already finished before this run. */
  finished: number;
  /** Jobs that run at once; the ETA divides the remaining job-seconds by it. */
  workers: number;
  /** Where lines and the bar go; default stderr. */
  stream?: ProgressStream;
  /** Redraw the bar in place (default: when the stream is a terminal). */
  bar?: boolean;
}

/** Tracks and draws a run's progress; see the file comment. */
export class RunProgress {
  private readonly stream: ProgressStream;
  private readonly bar: boolean;
  private done: number;
  private failed = 0;
  private readonly secondsByKind = new Map<string, number[]>();
  private readonly remainingByKind = new Map<string, number>();
  private readonly running = new Map<string, { kind: string; fraction: number }>();
  private drawn = false;
  private lastDraw = 0;

  /** `remainingKinds`: the kind of each job still to run, one entry per job (the ETA's counts). */
  constructor(
    private readonly options: RunProgressOptions,
    remainingKinds: readonly string[],
  ) {
    this.stream = options.stream ?? process.stderr;
    this.bar = options.bar ?? this.stream.isTTY === true;
    this.done = options.finished;
    for (const k of remainingKinds) this.remainingByKind.set(k, (this.remainingByKind.get(k) ?? 0) + 1);
  }

  /** Prints `▶ key  what` as job `key` of `kind` starts. */
  started(key: string, kind: string, what: string): void {
    this.running.set(key, { kind, fraction: 0 });
    this.line(`▶ ${key}  ${what}`);
  }

  /** Records job `key`'s progress within itself, 0…1; redraws an in-place bar at most every 200 ms. */
  progress(key: string, fraction: number): void {
    const r = this.running.get(key);
    if (r === undefined) return;
    r.fraction = fraction;
    const now = Date.now();
    if (this.bar && now - this.lastDraw > 200) this.drawBar();
  }

  /** Prints `✓ key  seconds s` and counts the job's wall time (seconds) towards its kind's mean for the ETA. */
  finished(key: string, kind: string, seconds: number): void {
    this.running.delete(key);
    this.remainingByKind.set(kind, (this.remainingByKind.get(kind) ?? 1) - 1);
    const list = this.secondsByKind.get(kind) ?? [];
    list.push(seconds);
    this.secondsByKind.set(kind, list);
    this.done++;
    this.line(`✓ ${key}  ${seconds.toFixed(1)} s`);
    if (!this.bar) this.line(this.summary());
  }

  /** Prints `✗ key  failed: <first line of message>  (spec specPath)`. */
  failedJob(key: string, kind: string, message: string, specPath: string): void {
    this.running.delete(key);
    this.remainingByKind.set(kind, (this.remainingByKind.get(kind) ?? 1) - 1);
    this.failed++;
    this.line(`✗ ${key}  failed: ${message.split('\n')[0]}  (spec ${specPath})`);
  }

  /** Prints that job `key` was not run because the job `because` it needs failed. */
  blocked(key: string, kind: string, because: string): void {
    this.remainingByKind.set(kind, (this.remainingByKind.get(kind) ?? 1) - 1);
    this.line(`- ${key}  not run: needs ${because}, which failed`);
  }

  /** A plain line above the bar. */
  line(text: string): void {
    this.clear();
    this.stream.write(text + '\n');
    if (this.bar) this.drawBar();
  }

  /** Removes the bar (at the end of the run). */
  end(): void {
    this.clear();
  }

  /** Seconds left: mean wall time of each kind finished in this run (overall mean for unseen kinds) over the workers. */
  etaSeconds(): number {
    const all = [...this.secondsByKind.values()].flat();
    if (all.length === 0) return NaN;
    const overall = all.reduce((a, b) => a + b, 0) / all.length;
    let total = 0;
    for (const [kind, n] of this.remainingByKind) {
      const seen = this.secondsByKind.get(kind);
      const mean = seen === undefined ? overall : seen.reduce((a, b) => a + b, 0) / seen.length;
      const runningFraction = [...this.running.values()]
        .filter((r) => r.kind === kind)
        .reduce((s, r) => s + r.fraction, 0);
      total += mean * Math.max(0, n - runningFraction);
    }
    return total / Math.max(1, this.options.workers);
  }

  /** The bar as one line: `[###…] done/total jobs, N failed, N running, ETA …`. */
  summary(): string {
    const width = 24;
    const filled = Math.round((width * this.done) / Math.max(1, this.options.total));
    const failed = this.failed > 0 ? `, ${this.failed} failed` : '';
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.options.total} jobs${failed}, ${this.running.size} running, ETA ${formatDuration(this.etaSeconds())}`;
  }

  private drawBar(): void {
    this.lastDraw = Date.now();
    this.stream.write(`\r\x1b[K${this.summary()}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
