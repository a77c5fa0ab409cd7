/**
 * Runs the built `multirater` bin as a user would (plain node, dist/), returning exit code and output.
 *
 * Every run has a deadline: spawnSync blocks the test worker, so vitest's own timeout cannot fire while a child
 * runs, and one child that never exits would hang the whole suite. Past the deadline the child is killed (SIGKILL)
 * and the result says so in `stderr`, so the test fails with the command named instead of hanging.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/multirater.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunBinOptions {
  /** Kill the child after this many milliseconds (default 300 s). */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/** Runs `node <script> ...args` with a deadline; see the file comment. */
export function runNode(script: string, args: readonly string[], options: RunBinOptions = {}): CliResult {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    cwd: options.cwd,
    env: options.env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const note = timedOut
    ? `\n[test harness] killed after ${timeout / 1000} s: node ${[script, ...args].join(' ')}`
    : r.error !== undefined
      ? `\n[test harness] ${r.error.message}`
      : '';
  return { code: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + note };
}

/** `multirater ...args` with a deadline (`runBin` with options). */
export function runBin(args: readonly string[], options: RunBinOptions = {}): CliResult {
  return runNode(BIN, args, options);
}

/** `multirater ...args` with the default deadline. */
export function runCli(...args: string[]): CliResult {
  return runBin(args);
}

/** `multirater ...args` without blocking the test worker, so independent runs can overlap; same deadline as `runBin`. */
export function runCliAsync(args: readonly string[], options: RunBinOptions = {}): Promise<CliResult> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n[test harness] killed after ${timeout / 1000} s: multirater ${args.join(' ')}`;
    }, timeout);
    child.on('error', (e) => (stderr += `\n[test harness] ${e.message}`));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * A command line as the tests write it: argv`train --data ${data} --iterations 4 --out ${model}`. The literal text
 * splits on white space, line breaks included (no quoting: no literal argument holds a space); each `${value}` is one
 * argument whatever it holds, an array one argument per element.
 */
export function argv(text: TemplateStringsArray, ...values: (string | number | readonly string[])[]): string[] {
  const args: string[] = [];
  text.forEach((part, i) => {
    if ((i > 0 && /^\S/.test(part)) || (i < values.length && /\S$/.test(part)))
      throw new Error(`argv: a \${value} must stand alone as an argument, not touch "${part}"`);
    args.push(...part.split(/\s+/).filter((word) => word !== ''));
    if (i < values.length) {
      const value = values[i];
      args.push(...(typeof value === 'object' ? value : [String(value)]));
    }
  });
  return args;
}
