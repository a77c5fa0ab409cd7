/**
 * Ending the CLI without losing output. On Linux, Node writes to pipes asynchronously: `process.exit()` right after a
 * large `stdout.write` drops what the pipe has not taken yet (a `--json` plan piped to `jq` was cut at 64 KiB).
 * So the exit waits until stdout and stderr have handed every queued byte to the kernel, then exits — the exit
 * itself stays, so a native thread pool or a stray handle cannot keep a finished command alive. A reader that
 * went away (`| head`, EPIPE) ends the wait at once.
 */

/** Resolves once every byte written to `stream` so far has been flushed, or the stream failed or closed. */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    const done = () => {
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('error', done);
    stream.once('close', done);
    // Writes complete in order: the callback of an empty write runs after every earlier chunk is flushed.
    stream.write('', () => done());
  });
}

/** Sets the exit code, waits for stdout and stderr to drain, then exits with `code`. */
export async function exitAfterDrain(code: number): Promise<never> {
  process.exitCode = code;
  // A closed pipe (EPIPE) is the reader's choice, not a failure of the command: no stack trace for it.
  for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
