/**
 * Reshaping a long query wide, in SQL, shared by the build and the browser
 * so both pivot the same way.
 */
import { sqlIdentifier, sqlString } from './sql-quote.ts';

export interface PivotSpec {
  /** The column whose values become rows. */
  row: string;
  /** The column whose values become columns. */
  column: string;
  /** The column holding the numbers. */
  value: string;
  /** The values of `column` that become columns, in order. Default (SQL tables): those present with the inputs' defaults. */
  values?: string[];
}

/**
 * DuckDB's PIVOT over `sql`: one row per `row` value, one column per
 * `column` value; a column with no value in any row is left out when shown.
 * (In the browser a dataframe library would need `new Function`, which the
 * site's Content-Security-Policy forbids.)
 */
export function pivotQuery(sql: string, pivot: PivotSpec & { values: string[] }): string {
  // The columns are listed (IN …): DuckDB cannot bind parameters in a PIVOT whose columns come from the data.
  return `PIVOT (${sql.trim()}) ON ${sqlIdentifier(pivot.column)} IN (${pivot.values.map(sqlString).join(', ')}) USING first(${sqlIdentifier(pivot.value)}) GROUP BY ${sqlIdentifier(pivot.row)} ORDER BY ${sqlIdentifier(pivot.row)}`;
}
