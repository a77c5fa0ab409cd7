import { describe, expect, it } from 'vitest';
import { blockGrid, blockIndex, interpolationCorners, windowSums } from './block-grid.ts';

describe('blockGrid', () => {
  const grid = blockGrid([10, 7], [4, 3]); // blocks 3 × 3, the last ones partial

  it('sums each block’s window of neighbouring blocks, clipped at the border', () => {
    const data = Float64Array.from({ length: grid.count * 2 }, (_, i) => i);
    const expected = new Float64Array(data.length);
    for (let by = 0; by < 3; by++)
      for (let bx = 0; bx < 3; bx++)
        for (let e = 0; e < 2; e++) {
          for (let y = Math.max(0, by - 1); y <= Math.min(2, by + 1); y++) {
            for (let x = Math.max(0, bx - 1); x <= Math.min(2, bx + 1); x++)
              expected[(by * 3 + bx) * 2 + e] += data[(y * 3 + x) * 2 + e];
          }
        }
    windowSums(grid, data, 2, 1);
    expect(Array.from(data)).toEqual(Array.from(expected));
  });

  it('interpolates a value linear in the block centres exactly, with weights summing to 1', () => {
    // Block centres: x 1.5, 5.5, 8.5; y 1, 4, 6. A field a + b·x + c·y sampled at centres is reproduced inside.
    const centreX = [1.5, 5.5, 8.5];
    const centreY = [1, 4, 6];
    const field = (x: number, y: number) => 2 + 0.5 * x - 0.25 * y;
    const atBlock = (b: number) => field(centreX[b % 3], centreY[Math.floor(b / 3)]);
    const cells = new Int32Array(4);
    const weights = new Float64Array(4);
    for (let y = 1; y <= 6; y++) {
      for (let x = 2; x <= 8; x++) {
        interpolationCorners(grid, y * 10 + x, cells, weights);
        expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        const value = Array.from(cells).reduce((s, c, i) => s + weights[i] * atBlock(c), 0);
        expect(value).toBeCloseTo(field(x, y), 10);
      }
    }
    expect(blockIndex(grid, 6 * 10 + 9)).toBe(2 * 3 + 2);
  });
});
