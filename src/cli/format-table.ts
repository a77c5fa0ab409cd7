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

/**
 * The shortest decimal that reads back as the same float32 (1.2 for the stored 1.2000000476837158): for values
 * such as NIfTI pixdims, which the file holds as float32, any further digit is noise.
 */
export function formatFloat32(value: number): string {
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === target) return text;
  }
  return String(Number(value.toPrecision(9)));
}
