import { describe, expect, it } from 'vitest';
import { pairedTTest } from '../stats/index.ts';
import { tableToMarkdown } from './table-to-markdown.ts';
import { testsTable } from './tests-table.ts';

describe('testsTable', () => {
  // a − b = 1, 2, 3: mean difference 2, sd 1, t = 2 / (1 / √3) = 2√3 on 2 degrees of freedom.
  const result = pairedTTest([2, 4, 6], [1, 2, 3]);
  const table = testsTable([{ cells: { arm: 'noisy' }, result, pHolm: 0.5 }], {
    title: 'Paired t-tests',
    columns: [{ key: 'arm', label: 'trained on' }],
    footnotes: ['Two-sided paired t-tests.'],
  });

  it('follows the leading columns with n, mean difference, t, p and p (Holm), each with its decimals', () => {
    expect(table.id).toBe('tests');
    expect(table.columns).toEqual([
      { key: 'arm', label: 'trained on' },
      { key: 'n', label: 'n', decimals: 0 },
      { key: 'meanDifference', label: 'mean difference', decimals: 4 },
      { key: 't', label: 't', decimals: 3 },
      { key: 'p', label: 'p', decimals: 4 },
      { key: 'pHolm', label: 'p (Holm)', decimals: 4 },
    ]);
  });

  it('puts the cells first, then the test’s statistics, in row order', () => {
    expect(Object.keys(table.rows[0])).toEqual(['arm', 'n', 'meanDifference', 't', 'p', 'pHolm']);
    expect(table.rows[0]).toMatchObject({ arm: 'noisy', n: 3, meanDifference: 2, pHolm: 0.5 });
    expect(table.rows[0].t).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(tableToMarkdown(table)).toContain('| noisy | 3 | 2.0000 | 3.464 |');
  });
});
