/**
 * Progress display for training on a stream (stderr): on a terminal, one self-overwriting bar line with
 * iteration, iterations per second, loss (mean of the last 20 steps) and ETA, redrawn at most 10 times a second;
 * otherwise the same facts as one line every `lineEvery` iterations plus one per validation and checkpoint, so logs
 * stay readable and a long run is never silent. Validations always get their own line.
 */
import type { TrainEvent } from './trainer.ts';

/** What the reporter needs of a stream (process.stderr satisfies it). */
export interface ProgressStream {
  /** True on a terminal: then the redrawing bar is drawn by default. */
  readonly isTTY?: boolean;
  /** Writes `text` as given (lines end in '\n'; the bar redraws with '\r' and an erase-line escape). */
  write(text: string): unknown;
}

/** Options of `progressReporter`: where it writes and whether it draws the bar. */
export interface ProgressOptions {
  /** Where to write; default process.stderr. */
  stream?: ProgressStream;
  /** Draw the redrawing bar (default: when the stream is a TTY). */
  bar?: boolean;
  /** Prefix of every line, e.g. the rater being trained. */
  label?: string;
  /** Receives each whole line (without newline) instead of the stream; implies no bar. */
  writeLine?: (line: string) => void;
  /** Without the bar: a progress line every this many iterations; default a twentieth of the run. */
  lineEvery?: number;
}

/** Seconds as "1m05s" / "42s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function formatDice(dice: Record<string, number | null>): string {
  return Object.entries(dice)
    .map(([k, v]) => `${k}:${v === null ? '–' : v.toFixed(3)}`)
    .join(' ');
}

/** An event handler for `train` that reports progress on `options.stream`. */
export function progressReporter(options: ProgressOptions = {}): (e: TrainEvent) => void {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const bar = options.writeLine === undefined && (options.bar ?? stream.isTTY === true);
  const line = options.writeLine ?? ((text: string) => void stream.write(text + '\n'));
  const prefix = options.label ? `${options.label}: ` : '';
  let total = 0;
  let every = 1;
  let lastDraw = 0;
  const recent: number[] = [];
  const stamps: number[] = [];
  let drawn = false;
  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  return (e) => {
    if (e.type === 'start') {
      total = e.config.iterations;
      every = options.lineEvery ?? Math.max(1, Math.round(total / 20));
      const from = e.startIteration > 0 ? ` (resuming at ${e.startIteration})` : '';
      line(
        `${prefix}training ${e.config.model} on ${e.trainCases} cases (${e.valCases} for validation), ${total} iterations of ${e.config.batchSize}, loss ${e.config.loss}${from}`,
      );
    } else if (e.type === 'step') {
      const now = Date.now();
      recent.push(e.loss);
      stamps.push(e.elapsedSeconds);
      if (recent.length > 20) recent.shift();
      if (stamps.length > 21) stamps.shift();
      const loss = recent.reduce((a, b) => a + b, 0) / recent.length;
      const span = stamps[stamps.length - 1] - stamps[0];
      const rate = stamps.length > 1 && span > 0 ? (stamps.length - 1) / span : null;
      const facts = `${e.iteration + 1}/${total} ${rate === null ? '–' : rate.toFixed(rate < 10 ? 2 : 1)} it/s loss ${loss.toFixed(4)} ETA ${formatDuration(e.etaSeconds)}`;
      if (!bar) {
        if ((e.iteration + 1) % every === 0 && e.iteration + 1 < total) line(`${prefix}iteration ${facts}`);
        return;
      }
      if (now - lastDraw < 100 && e.iteration + 1 < total) return;
      lastDraw = now;
      const width = 24;
      const done = Math.round((width * (e.iteration + 1)) / total);
      stream.write(`\r\x1b[K${prefix}[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${facts}`);
      drawn = true;
      if (e.iteration + 1 >= total) {
        stream.write('\n');
        drawn = false;
      }
    } else if (e.type === 'validation') {
      clear();
      const r = e.record;
      line(
        `${prefix}validation at ${r.iteration}: loss ${r.loss.toFixed(4)}, Dice ${formatDice(r.dice)}${e.improved ? ' (best so far)' : ''}`,
      );
    } else if (e.type === 'checkpoint' && !bar) {
      line(`${prefix}checkpoint at iteration ${e.iteration}`);
    }
  };
}
