import { describe, expect, it } from 'vitest';
import { getRegistered } from './errors.ts';

describe('getRegistered', () => {
  const registry = new Map([
    ['unet2d', 1],
    ['enet', 2],
  ]);

  it('returns the entry registered under the name', () => {
    expect(getRegistered(registry, 'model', 'enet')).toBe(2);
  });

  it('names the thing looked up and every known name when the name is unknown', () => {
    expect(() => getRegistered(registry, 'model', 'vnet')).toThrow(
      expect.objectContaining({ code: 'unknown_name', message: 'unknown model "vnet" (known: unet2d, enet)' }),
    );
  });
});
