import { describe, expect, it } from 'vitest';
import { formatFloat32 } from './format-table.ts';

describe('formatFloat32', () => {
  it('prints the shortest decimal that reads back as the same float32', () => {
    expect(formatFloat32(Math.fround(1.2))).toBe('1.2');
    expect(String(Math.fround(1.2))).toBe('1.2000000476837158');
    expect(formatFloat32(Math.fround(0.7031))).toBe('0.7031');
    expect(formatFloat32(3)).toBe('3');
    expect(formatFloat32(Math.fround(1e-7))).toBe('1e-7');
    // A double that is no float32 prints at float32 precision: 1.23456789 → float32 1.2345679.
    expect(formatFloat32(1.23456789)).toBe('1.2345679');
  });
});
