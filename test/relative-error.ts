/** max |a − b| / max |b|: the normwise relative error the PyTorch-fixture tests hold results to. */
export function relErr(actual: ArrayLike<number>, expected: readonly number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num = Math.max(num, Math.abs(actual[i] - expected[i]));
    den = Math.max(den, Math.abs(expected[i]));
  }
  return num / Math.max(den, 1e-30);
}
