/**
 * Table formatting, shared by the build and the browser. Reshaping (pivot)
 * happens in SQL (query.ts, pivotQuery), so both engines do it the same way.
 */
import { formatMonth, formatValue, type Unit } from './format.ts';
import type { TableOptions } from './table-options.ts';

export type { TableOptions };

export type TableRow = Record<string, unknown>;


export interface ShapedTable {
  columns: string[];
  rows: TableRow[];
  units: Record<string, Unit>;
}

export function shapeTable(rows: TableRow[], options: TableOptions): ShapedTable {
  // A pivoted column with no value in any row (a series the inputs filtered out) is left out.
  const columns = options.columns ?? (rows.length > 0 ? Object.keys(rows[0]!).filter((c) => rows.some((row) => row[c] !== null && row[c] !== undefined)) : []);
  const units: Record<string, Unit> = { ...options.units };
  if (options.valueUnit) for (const column of columns) if (!(column in units) && rows.some((row) => typeof row[column] === 'number')) units[column] = options.valueUnit;
  return { columns, rows, units };
}

/** A cell as shown: months as "Oct 2026", numbers in their unit, missing as an en dash. */
export function formatTableCell(value: unknown, column: string, units: Record<string, Unit>): string {
  if (value === null || value === undefined) return '–';
  if (value instanceof Date) return formatMonth(value);
  if (typeof value === 'number') return formatValue(value, units[column] ?? (Number.isInteger(value) ? 'count' : 'ratio'));
  return String(value);
}

/** The raw value behind a cell, for sorting and CSV: ISO dates, plain numbers. */
export function rawCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // 12 significant digits: 399.99999999999994 (a float sum) is written 400.
  if (typeof value === 'number') return String(Number(value.toPrecision(12)));
  return String(value);
}

export function heading(column: string, labels: Record<string, string> = {}): string {
  return labels[column] ?? column.replaceAll('_', ' ');
}
