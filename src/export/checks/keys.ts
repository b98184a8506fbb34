/** Checks of a loaded source's keys: present in every row, and unique. */
import { countOf } from '../../lib/format.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { atLines, placesText } from '../sources/places.ts';
import { type Check, keyColumnsOf, keyOf, type SourceCheck } from './check.ts';

export const keysPresent: SourceCheck = {
  title: 'Keys are present',
  about: 'every row has its primary key filled in; a row without one stops the export, naming its line',
  scan: ({ source }) => [['null_keys', `count(*) FILTER (WHERE ${keyOf(source).map((k) => `${k} IS NULL`).join(' OR ')})`]],
  async run({ source, rowsAt }, stats) {
    const key = keyOf(source);
    const n = Number(stats.null_keys);
    return [
      {
        name: 'keys are present',
        source: source.id,
        status: n === 0 ? 'pass' : 'fail',
        detail:
          n === 0
            ? `${source.primaryKey.join(', ')} filled in every row`
            : `${countOf(n, 'row has', 'rows have')} an empty ${source.primaryKey.join(' or ')}; the extract must identify every row.${atLines(await rowsAt(key.map((k) => `${k} IS NULL`).join(' OR ')))}`,
      },
    ];
  },
};

/**
 * Uniqueness is settled on a 64-bit hash of the key: when no two rows share
 * a hash, no two share a key; otherwise only the rows whose hashes repeat
 * are compared (a collision of different keys is then seen for what it is).
 * Rows that share a key and are identical (the same row delivered again) are
 * dropped, the first delivery kept, with a warning; rows that share a key
 * but differ fail.
 */
export const keysUnique: SourceCheck = {
  title: 'Keys are unique',
  about: 'no two rows share a primary key (within one delivery of a dump); an exact duplicate is dropped with a warning, two different rows with one key stop the export',
  first: true,
  async run({ db, source, table, rowsAt }) {
    const name = source.id;
    const keyColumns = keyColumnsOf(source);
    const key = keyOf(source);
    const keyed = `${table} WHERE ${key.map((k) => `${k} IS NOT NULL`).join(' AND ')}`;
    const hashed = `hash(${key.join(', ')})`;
    await db.run(`CREATE OR REPLACE TEMP TABLE _repeated_hashes AS SELECT ${hashed} AS h FROM ${keyed} GROUP BY h HAVING count(*) > 1`);
    const [repeated] = await queryRows(db, 'SELECT count(*) AS n FROM _repeated_hashes');
    // Every row whose key hash repeats: a key shared by two rows is among them.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE _suspects AS SELECT rowid AS _row, * FROM ${keyed} AND ${Number(repeated?.n) === 0 ? 'FALSE' : `${hashed} IN (SELECT h FROM _repeated_hashes)`}`,
    );
    const [dupes] = await queryRows(db, `SELECT count(*) - count(DISTINCT (${key.join(', ')})) AS n FROM _suspects`);
    const duplicateCount = Number(dupes?.n);
    let unique: Check;
    if (duplicateCount === 0) {
      unique = { name: 'keys are unique', source: name, status: 'pass', detail: `${source.primaryKey.join(', ')} is unique` };
    } else {
      // Rows outside the suspects have keys (and rows) of their own, so comparing the suspects decides.
      // The same row delivered again in a later file is a duplicate too (the first delivery is kept).
      const columns = source.columns.map((c) => sqlIdentifier(c.name)).join(', ');
      const [distinctRows] = await queryRows(db, `SELECT count(*) AS n FROM (SELECT DISTINCT ${columns} FROM _suspects)`);
      const [distinctKeys] = await queryRows(db, `SELECT count(DISTINCT (${key.join(', ')})) AS n FROM _suspects`);
      if (Number(distinctRows?.n) === Number(distinctKeys?.n)) {
        // The rows sharing a key are identical: keep the first of each (by delivery), as DISTINCT ON would.
        await db.run(`DELETE FROM ${table} WHERE rowid IN (SELECT _row FROM _suspects QUALIFY row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY _delivered) > 1)`);
        unique = { name: 'keys are unique', source: name, status: 'warn', detail: `${countOf(duplicateCount, 'exact duplicate row was', 'exact duplicate rows were')} dropped (same ${source.primaryKey.join(', ')} and same values).` };
      } else {
        const conflicting = Number(distinctRows?.n) - Number(distinctKeys?.n);
        // One key the rows disagree on, and where its rows are (in its own delivery, for a dump).
        const [example] = await queryRows(
          db,
          `SELECT ${source.primaryKey.map((k) => `${sqlIdentifier(k)}::VARCHAR AS ${sqlIdentifier(k)}`).join(', ')}, any_value(_delivered) AS _delivered
           FROM _suspects GROUP BY ${key.join(', ')} HAVING count(DISTINCT (${columns})) > 1 ORDER BY ALL LIMIT 1`,
        );
        const keyText = source.primaryKey.map((k) => `${k} "${String(example?.[k])}"`).join(', ');
        // Its rows, in the delivery that disagrees with itself for a dump (which repeats every row).
        const sameKey = keyColumns.map((k) => `${sqlIdentifier(k)}::VARCHAR = ${sqlString(String(example?.[k]))}`).join(' AND ');
        const places = await rowsAt(sameKey);
        unique = {
          name: 'keys are unique',
          source: name,
          status: 'fail',
          detail:
            `${countOf(conflicting, 'row shares its', 'rows share their')} ${source.primaryKey.join(', ')} with another row but ${conflicting === 1 ? 'differs' : 'differ'} from it; the export cannot tell which is right. Fix the extract.` +
            (places.length > 0 ? ` For example ${keyText}: ${placesText(places)}.` : ''),
        };
      }
    }
    await db.run('DROP TABLE _repeated_hashes');
    await db.run('DROP TABLE _suspects');
    return [unique];
  },
};
