import { describe, expect, it } from 'vitest';
import { MNIST_SIZE, mnistDigit, mnistDigitCount, mnistDigits } from './mnist-digits.ts';

describe('MNIST digits from the mnist package', () => {
  it('holds 10,000 digits of 28×28 grey levels in [0, 1]', () => {
    expect(mnistDigitCount()).toBe(10000);
    const d = mnistDigit(0);
    expect(d.image.shape).toEqual([MNIST_SIZE, MNIST_SIZE]);
    expect(Math.min(...d.image.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.image.data)).toBeLessThanOrEqual(1);
  });

  it('are real handwriting: anti-aliased strokes, and ones thinner than eights on average', () => {
    const digits = mnistDigits({ count: 600, seed: 4 });
    const grey = digits.flatMap((d) => [...d.image.data].filter((v) => v > 0 && v < 1));
    expect(grey.length).toBeGreaterThan(600 * 20); // every digit has a soft rim of intermediate grey levels
    const ink = (digit: number) => {
      const of = digits.filter((d) => d.digit === digit);
      return of.reduce((s, d) => s + d.truth.data.reduce((a, b) => a + b, 0), 0) / of.length;
    };
    expect(ink(1)).toBeLessThan(0.7 * ink(8));
    expect(new Set(digits.map((d) => d.digit)).size).toBe(10);
  });

  it('takes the truth as intensity ≥ 0.5', () => {
    const d = mnistDigit(1234);
    for (let v = 0; v < d.image.data.length; v++) expect(d.truth.data[v]).toBe(d.image.data[v] >= 0.5 ? 1 : 0);
  });

  it('draws a seeded sample whose first digits do not depend on the count', () => {
    const few = mnistDigits({ count: 5, seed: 9 }).map((d) => d.index);
    const more = mnistDigits({ count: 50, seed: 9 }).map((d) => d.index);
    expect(more.slice(0, 5)).toEqual(few);
    expect(mnistDigits({ count: 5, seed: 10 }).map((d) => d.index)).not.toEqual(few);
  });

  it('rejects a count beyond the collection', () => {
    expect(() => mnistDigits({ count: 10001, seed: 1 })).toThrow(/count must be an integer in 1…10000/);
  });
});
