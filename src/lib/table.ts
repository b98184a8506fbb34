/**
 * Table shaping and formatting, shared by the build and the browser.
 * Reshaping goes through Arquero (pivot a long result into one column per
 * series), so neither side hand-writes the loops.
 */
import { from } from 'arquero';
import { formatMonth, formatValue, type Unit } from './format.ts';

export type TableRow = Record<string, unknown>;

export interface TableOptions {
  /** Pivot long rows wide: one row per `row` value, one column per `column` value holding `value`. */
  pivot?: { row: string; column: string; value: string };
  /** Columns to show, in order. Default: all the result's columns. */
  columns?: string[];
  /** Unit of each numeric column; a pivoted table's value columns all take `valueUnit`. */
  units?: Record<string, Unit>;
  valueUnit?: Unit;
  /** Column headings; default the column name with spaces. */
  labels?: Record<string, string>;
}

export interface ShapedTable {
  columns: string[];
  rows: TableRow[];
  units: Record<string, Unit>;
}

export function shapeTable(rows: TableRow[], options: TableOptions): ShapedTable {
  let shaped = rows;
  let columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const units: Record<string, Unit> = { ...options.units };
  if (options.pivot && rows.length > 0) {
    const { row, column, value } = options.pivot;
    const keys = [...new Set(rows.map((r) => String(r[column])))].sort();
    const table = from(rows.map((r) => ({ ...r, [column]: String(r[column]) })))
      .groupby(row)
      .pivot(column, value)
      .orderby(row);
    shaped = table.objects() as TableRow[];
    columns = [row, ...keys];
    for (const key of keys) units[key] = options.valueUnit ?? units[value] ?? 'count';
  }
  if (options.columns) columns = options.columns;
  return { columns, rows: shaped, units };
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
