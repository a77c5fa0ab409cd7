/**
 * Timing for the benchmark scripts: wall and CPU seconds of repeated runs, their median, and A/B timing of two or
 * more sessions alternated run by run so load drift on a shared machine hits every variant alike.
 */

/** The median (the mean of the two middle values of an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall and CPU (user + system) seconds of each of `runs` calls of `fn`; CPU time is the steadier one on a shared machine. */
export async function timeRuns<T>(
  runs: number,
  fn: () => T | Promise<T>,
): Promise<{ seconds: number[]; cpuSeconds: number[]; last: T }> {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    last = await fn();
    seconds.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  return { seconds, cpuSeconds, last: last as T };
}

/**
 * Runs `run` on every session in turn, one warm-up round then `runs` timed rounds, prints per variant (named by the
 * first entry of its row in `variants`) the upper median (the middle of an odd count) and every time in seconds, then
 * releases the sessions.
 */
export async function printAlternating<S extends { release(): Promise<void> }>(
  variants: readonly (readonly [name: string, ...settings: unknown[]])[],
  sessions: readonly S[],
  runs: number,
  run: (session: S) => Promise<unknown>,
): Promise<void> {
  const times = sessions.map((): number[] => []);
  for (let i = 0; i <= runs; i++) {
    for (let v = 0; v < sessions.length; v++) {
      const t0 = performance.now();
      await run(sessions[v]);
      if (i > 0) times[v].push((performance.now() - t0) / 1000);
    }
  }
  const upperMedian = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  variants.forEach(([name], v) =>
    process.stdout.write(
      `${name.padEnd(14)} median ${upperMedian(times[v]).toFixed(3)} s  [${times[v].map((t) => t.toFixed(2)).join(' ')}]\n`,
    ),
  );
  for (const s of sessions) await s.release();
}
