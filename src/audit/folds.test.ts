import { describe, expect, it } from 'vitest';
import { expectOneLineError } from '../../test/expect-error.ts';
import { assignFolds } from './folds.ts';

describe('assignFolds', () => {
  const ids = Array.from({ length: 23 }, (_, i) => `case${String(i).padStart(2, '0')}`);

  it('puts every case in one fold, fold sizes within one of each other, the same for the same seed and any id order', () => {
    const folds = assignFolds(ids, 5, 7);
    expect([...folds.keys()].sort()).toEqual(ids);
    const sizes = [0, 1, 2, 3, 4].map((f) => [...folds.values()].filter((x) => x === f).length);
    expect(sizes.sort()).toEqual([4, 4, 5, 5, 5]);
    expect(assignFolds([...ids].reverse(), 5, 7)).toEqual(folds);
    expect(assignFolds(ids, 5, 8)).not.toEqual(folds);
  });

  it('refuses fewer cases than folds, with one line', () => {
    expectOneLineError(
      () => assignFolds(['a', 'b'], 3, 1),
      'audit',
      'invalid_argument',
      /2 case\(s\) with labels cannot fill 3 folds/,
    );
  });
});
