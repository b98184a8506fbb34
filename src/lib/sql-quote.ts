/**
 * Quoting for SQL text built by the project, the one place it is written:
 * the export, the site build and the browser all quote with these. Values a
 * reader or an input gives are never quoted into SQL: they are bound as
 * parameters (sql-params.ts).
 */

/** A SQL string literal: 'it''s'. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: "a ""b""". */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
