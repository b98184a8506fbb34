/**
 * DuckDB-WASM results (apache-arrow Tables) as the plain rows chart builders
 * take: dates and timestamps as Date, big integers as number.
 */
import { DataType, type Table } from 'apache-arrow';
import type { ChartRow } from '../lib/charts/chart.ts';

export function toRows(table: Table): ChartRow[] {
  const fields = table.schema.fields;
  return table.toArray().map((row) => {
    const out: ChartRow = {};
    for (const field of fields) {
      const value: unknown = row[field.name];
      if (value === null || value === undefined) out[field.name] = null;
      else if (DataType.isDate(field.type) || DataType.isTimestamp(field.type)) out[field.name] = new Date(Number(value));
      else if (typeof value === 'bigint') out[field.name] = Number(value);
      else out[field.name] = value;
    }
    return out;
  });
}
