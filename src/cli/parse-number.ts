/** Parsing of command-line flag values (numbers, lists), with one-line errors naming the flag. */
import { MultiraterError } from '../errors.ts';

/** `text` as an integer ≥ 1. */
export function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || n < 1)
    throw new MultiraterError('invalid_argument', `${flag} must be a positive integer, got "${text}"`);
  return n;
}

/** `text` as an integer (negative allowed). */
export function integer(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(n))
    throw new MultiraterError('invalid_argument', `${flag} must be an integer, got "${text}"`);
  return n;
}

/** `text` as a finite number > 0. */
export function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new MultiraterError('invalid_argument', `${flag} must be a positive number, got "${text}"`);
  return n;
}

/** `text` as a finite number (negative allowed). */
export function finiteNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new MultiraterError('invalid_argument', `${flag} must be a number, got "${text}"`);
  return n;
}

/** `parse(text)`, or undefined for a flag not given. */
export function optional<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text);
}

/** A comma-separated list, items trimmed, empty items dropped: `"a, b,"` is `['a', 'b']`. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
