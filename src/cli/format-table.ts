/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */

/** Formats `rows` (first row = header) as aligned text lines joined by "\n". */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const numeric = /^[-+]?[0-9.]/;
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => (r > 0 && numeric.test(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A number with `digits` significant decimals for tables; "–" for null. */
export function formatNumber(value: number | null, digits = 4): string {
  if (value === null) return '–';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(digits - 1);
  return value.toFixed(digits);
}
