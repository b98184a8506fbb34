/**
 * CSV as spreadsheets read it (RFC 4180), written in one place for the
 * build's download links and the browser's refreshed ones.
 */

/** A cell as CSV text: dates as YYYY-MM-DD, numbers unformatted (12 significant digits), empty for missing. */
function csvCell(value: unknown): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value === null || value === undefined ? '' : typeof value === 'number' ? String(Number(value.toPrecision(12))) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Lines of cells (the first the header) as CSV text, each line ended by CRLF. */
export function csvText(lines: unknown[][]): string {
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Rows as CSV: a header of `columns`, then each row's values in that order. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return csvText([columns, ...rows.map((row) => columns.map((c) => row[c]))]);
}
