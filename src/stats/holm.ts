/**
 * Holm's step-down correction for multiple comparisons (Holm 1979, "A simple sequentially rejective multiple test
 * procedure", Scand. J. Statist. 6): the i-th smallest of m p-values becomes max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎).
 * Same as statsmodels' `multipletests(p, method='holm')`.
 */

/** Holm-adjusted p-values in the input order; nulls stay null and do not count towards m. */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const idx = pValues.map((p, i) => [p, i] as const).filter((e): e is readonly [number, number] => e[0] !== null);
  idx.sort((x, y) => x[0] - y[0]);
  const m = idx.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 0;
  idx.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
