/** Dice of two binary masks (foreground: any value > 0); two empty masks agree fully (1). For tests. */
export function maskDice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i] > 0 && b[i] > 0 ? 1 : 0;
    sum += (a[i] > 0 ? 1 : 0) + (b[i] > 0 ? 1 : 0);
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}
