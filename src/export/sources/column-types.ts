/**
 * The model's column types, checked before any file is read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Model } from '../../lib/model-schema.ts';
import { closest } from '../../lib/closest.ts';
import { queryRows } from '../../node/duckdb.ts';
import type { LoadedModel } from '../../node/load-model.ts';
import { ExportError, firstLines } from '../errors.ts';

/**
 * Every declared column type is one DuckDB knows, checked before any file is
 * read: a typo (VARCHR) names its line in sources.yaml, with the type it
 * probably means, instead of failing on the first file read. A column's
 * notBefore names one it can be compared with.
 */
export async function checkColumnTypes(db: DuckDBConnection, model: Model, where: LoadedModel['where']): Promise<void> {
  for (const [i, source] of model.sources.entries()) {
    for (const [j, column] of source.columns.entries()) {
      try {
        await db.run(`SELECT NULL::${column.type}`);
      } catch (error) {
        const known = (await queryRows(db, 'SELECT DISTINCT type_name FROM duckdb_types() ORDER BY ALL')).map((r) => String(r.type_name));
        const guess = closest(column.type.toUpperCase(), known);
        throw new ExportError(
          `${where('sources', ['sources', i, 'columns', j, 'type'])}  sources[${i}].columns[${j}].type: "${column.type}" (column ${column.name} of ${source.id}) is not a type DuckDB knows: ${firstLines(error, 1).replace(/^\w+ Error: /, '')}\n` +
            (guess ? `  Did you mean "${guess}"? ` : '  ') +
            'Types in use: VARCHAR, BIGINT, INTEGER, DOUBLE, DECIMAL(12,2), BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ.',
        );
      }
    }
    // A column that cannot come before another must be comparable with it (a DATE with a TIMESTAMPTZ is; a DATE with a BIGINT is not).
    for (const [j, column] of source.columns.entries()) {
      const other = source.columns.find((c) => c.name === column.notBefore);
      if (!other) continue;
      try {
        await db.run(`SELECT NULL::${column.type} < NULL::${other.type}`);
      } catch {
        throw new ExportError(
          `${where('sources', ['sources', i, 'columns', j, 'notBefore'])}  sources[${i}].columns[${j}].notBefore: ${column.name} (${column.type}) cannot be compared with ${other.name} (${other.type}). ` +
            'Name a column of a comparable type, such as two dates or timestamps.',
        );
      }
    }
  }
}
