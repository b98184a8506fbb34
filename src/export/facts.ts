/**
 * Export, step 2: each fact (facts.yaml) as a table for the current period,
 * from its SQL over the sources' period views, with the checks that need
 * only the fact: its columns exist, every row's business line is one of the
 * model's, and a column with a list of values holds only those.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { countOf, formatDay } from '../lib/format.ts';
import type { Fact, Model } from '../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import type { LoadedModel } from '../node/load-model.ts';
import { ExportError, firstLines } from './errors.ts';

export const factTable = (fact: Fact) => sqlIdentifier(`fact_${fact.id}`);

/**
 * Materialises each fact for the current period; a failing SQL or a stray
 * business line names the fact. With `bindOnly`, each fact is a view instead
 * and its rows are not read: only its SQL and columns are checked.
 */
export async function buildFacts(db: DuckDBConnection, model: Model, where: LoadedModel['where'], { bindOnly = false } = {}): Promise<void> {
  const lines = model.calendar.businessLines.map((l) => l.id);
  for (const [index, fact] of model.facts.entries()) {
    try {
      // In memory (spilling to disk when large): a fact lives for one period.
      await db.run(`CREATE OR REPLACE TEMP ${bindOnly ? 'VIEW' : 'TABLE'} ${factTable(fact)} AS SELECT * FROM (${fact.sql}) WHERE date <= getvariable('period_end')`);
    } catch (error) {
      throw new ExportError(`${where('facts', ['facts', index, 'sql'])}  facts[${index}].sql (${fact.id}): DuckDB could not run it.\n  ${firstLines(error).replaceAll('\n', '\n  ')}`);
    }
    const columns = (await queryRows(db, `DESCRIBE ${factTable(fact)}`)).map((c) => String(c.column_name));
    for (const [j, dimension] of fact.dimensions.entries()) {
      if (!columns.includes(dimension.column)) {
        throw new ExportError(
          `${where('facts', ['facts', index, 'dimensions', j, 'column'])}  facts[${index}].dimensions[${j}].column: the fact ${fact.id} has no column "${dimension.column}". Its columns: ${columns.join(', ')}.`,
        );
      }
    }
    if (fact.entity && !columns.includes(fact.entity)) {
      throw new ExportError(`${where('facts', ['facts', index, 'entity'])}  facts[${index}].entity: the fact ${fact.id} has no column "${fact.entity}". Its columns: ${columns.join(', ')}.`);
    }
    const valued = fact.columns.flatMap((c, j) => (c.values ? [{ j, name: c.name, values: c.values }] : []));
    for (const { j, name } of valued) {
      if (!columns.includes(name)) {
        throw new ExportError(`${where('facts', ['facts', index, 'columns', j, 'name'])}  facts[${index}].columns[${j}].name: the fact ${fact.id} has no column "${name}". Its columns: ${columns.join(', ')}.`);
      }
    }
    if (bindOnly) continue;
    // Every row's business line, and each column with a list of values, is one of them: a source value the SQL does not map
    // (a line, a portal's new event name) would silently drop out of every metric. One scan counts both.
    const outside = (column: string, allowed: string[]) => `${sqlIdentifier(column)} IS NULL OR ${sqlIdentifier(column)} NOT IN (${allowed.map(sqlString).join(', ')})`;
    const [counts] = await queryRows(
      db,
      `SELECT ${[`count(*) FILTER (WHERE ${outside('business_line', lines)}) AS stray`, ...valued.map((c, i) => `count(*) FILTER (WHERE ${outside(c.name, c.values)}) AS outside_${i}`)].join(', ')} FROM ${factTable(fact)}`,
    );
    if (Number(counts?.stray) > 0) {
      const stray = await queryRows(db, `SELECT DISTINCT business_line AS line FROM ${factTable(fact)} WHERE ${outside('business_line', lines)} LIMIT 5`);
      throw new ExportError(
        `${where('facts', ['facts', index, 'sql'])}  facts[${index}].sql (${fact.id}): business_line has ${stray.map((r) => (r.line === null ? 'empty values' : `"${String(r.line)}"`)).join(', ')}, ` +
          `but the business lines are ${lines.join(', ')}. Map every source value to one of them.`,
      );
    }
    for (const [i, { j, ...column }] of valued.entries()) {
      const n = Number(counts?.[`outside_${i}`]);
      if (n === 0) continue;
      const found = await queryRows(
        db,
        `SELECT ${sqlIdentifier(column.name)}::VARCHAR AS value, business_line AS line, count(*) AS n, strftime(min(date), '%Y-%m-%d') AS first
         FROM ${factTable(fact)} WHERE ${outside(column.name, column.values)} GROUP BY ALL ORDER BY n DESC, value LIMIT 4`,
      );
      const shown = found.map((r) => `${r.value === null ? 'empty' : `"${String(r.value)}"`} in ${countOf(Number(r.n), `${String(r.line)} row`)} (the first dated ${formatDay(String(r.first))})`);
      throw new ExportError(
        `${where('facts', ['facts', index, 'columns', j, 'values'])}  facts[${index}].columns[${j}].values (${fact.id}): ${column.name} is not one of ${column.values.join(', ')} in ${countOf(n, 'row')}: ${shown.join('; ')}.\n` +
          `  A source value the fact's SQL does not map (a new or renamed one) would drop out of every metric. Map it in facts[${index}].sql, or add it to the list.`,
      );
    }
  }
}
