/** Asserts the project's error contract: `fn` throws a MultiraterError with `code`, one line naming `file`. */
import { expect } from 'vitest';
import { isMultiraterError } from '../src/errors.ts';

export function expectOneLineError(fn: () => unknown, file: string, code: string, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isMultiraterError(e)).toBe(true);
    expect((e as Error & { code: string }).code).toBe(code);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toMatch(pattern);
    expect((e as Error).message).not.toContain('\n');
    return;
  }
  throw new Error(`expected an error for ${file}`);
}
