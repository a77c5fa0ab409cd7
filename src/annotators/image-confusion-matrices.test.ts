import { describe, expect, it } from 'vitest';
import { ImageCmAccumulator } from './image-confusion-matrices.ts';

describe('ImageCmAccumulator', () => {
  it('averages column j of the per-pixel matrices over the pixels whose reference is j, skipping marked pixels', () => {
    // One annotator, 2 classes, one sample of 3 pixels with reference labels 0, 1, 255 (skipped).
    // Layout [n, R, i, j, P]: entry (i, j) of pixel p at (i·2 + j)·3 + p.
    const cms = Float32Array.from([
      ...[0.8, 0.6, 0.1], // (0, 0) at pixels 0, 1, 2
      ...[0.3, 0.2, 0.5], // (0, 1)
      ...[0.2, 0.4, 0.9], // (1, 0)
      ...[0.7, 0.8, 0.5], // (1, 1)
    ]);
    const acc = new ImageCmAccumulator(1, 2);
    acc.add(cms, Uint8Array.of(0, 1, 255), 1);
    // Column 0 from pixel 0: (0.8, 0.2); column 1 from pixel 1: (0.2, 0.8). Pixel 2 is left out.
    const [m] = acc.matrices();
    expect(m[0][0]).toBeCloseTo(0.8, 6);
    expect(m[1][0]).toBeCloseTo(0.2, 6);
    expect(m[0][1]).toBeCloseTo(0.2, 6);
    expect(m[1][1]).toBeCloseTo(0.8, 6);
  });

  it('returns global matrices as they are and null columns for classes the reference never has', () => {
    const acc = new ImageCmAccumulator(2, 2);
    acc.add(Float32Array.from([0.9, 0.3, 0.1, 0.7, 0.5, 0.5, 0.5, 0.5]), Uint8Array.of(0, 0, 0), 1);
    expect(acc.matrices()[0][0][0]).toBeCloseTo(0.9, 6);
    expect(acc.matrices()[1][1][0]).toBeCloseTo(0.5, 6);
    expect(acc.matrices()[0].map((row) => row[1])).toEqual([null, null]);
  });
});
