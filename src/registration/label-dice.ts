/** Dice of one label between two label arrays of the same grid (how propagated labels are scored against a truth). */

/** 2·|A ∩ B| / (|A| + |B|) for voxels equal to `label`; null when the label is absent from both. */
export function labelDice(a: ArrayLike<number>, b: ArrayLike<number>, label: number): number | null {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let p = 0; p < a.length; p++) {
    const x = a[p] === label;
    const y = b[p] === label;
    if (x) na++;
    if (y) nb++;
    if (x && y) inter++;
  }
  return na + nb === 0 ? null : (2 * inter) / (na + nb);
}
