/**
 * Learning-rate schedules as plain functions of the step (0-based), so any run replays exactly. Reduce-on-plateau
 * is a function of the validation history rather than hidden state.
 */

/** The same rate at every step. */
export function constantLr(base: number): (step: number) => number {
  return () => base;
}

/** Polynomial decay base·(1 − step/total)^power, power 0.9 as in nnU-Net; 0 after `total`. */
export function polynomialLr(base: number, total: number, power = 0.9): (step: number) => number {
  return (step) => base * Math.pow(Math.max(0, 1 - step / total), power);
}

/** Cosine annealing from base to `min` over `total` steps (Loshchilov & Hutter 2017, no restarts). */
export function cosineLr(base: number, total: number, min = 0): (step: number) => number {
  return (step) => min + ((base - min) * (1 + Math.cos((Math.PI * Math.min(step, total)) / total))) / 2;
}

/** base·gamma^⌊step/every⌋. */
export function stepLr(base: number, every: number, gamma = 0.1): (step: number) => number {
  return (step) => base * Math.pow(gamma, Math.floor(step / every));
}

/** Options of `plateauLr` (PyTorch ReduceLROnPlateau's, same defaults). */
export interface PlateauOptions {
  /** Multiplier at each reduction; default 0.1. */
  readonly factor?: number;
  /** Evaluations without improvement tolerated before reducing; default 10. */
  readonly patience?: number;
  /** Relative improvement that counts (PyTorch 'rel' threshold mode); default 1e-4. */
  readonly threshold?: number;
  /** Lower bound on the rate; default 0. */
  readonly minLr?: number;
}

/**
 * The rate after a history of validation losses (lower is better), as PyTorch's ReduceLROnPlateau in 'min' mode
 * with cooldown 0: every `patience + 1` evaluations without a relative improvement of `threshold` multiply the
 * rate by `factor`.
 */
export function plateauLr(base: number, history: readonly number[], options: PlateauOptions = {}): number {
  const { factor = 0.1, patience = 10, threshold = 1e-4, minLr = 0 } = options;
  let lr = base;
  let best = Infinity;
  let bad = 0;
  for (const loss of history) {
    if (loss < best * (1 - threshold)) {
      best = loss;
      bad = 0;
    } else if (++bad > patience) {
      lr = Math.max(lr * factor, minLr);
      bad = 0;
    }
  }
  return lr;
}
