/** A cumulative dump's check: each dump lists every key of the one before. */
import { countOf, listed } from '../../lib/format.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { placesText } from '../sources/places.ts';
import type { Check, SourceCheck, SourceCheckContext } from './check.ts';

export const cumulativeDumps: SourceCheck = {
  title: 'Each dump lists the one before',
  about: 'a source delivered as cumulative dumps (every row so far) lists in each dump every key of the dump before; a dump cut short stops the export, naming both deliveries',
  applies: (source) => source.delivery?.cumulative === true,
  run: async (context) => [await cumulative(context)],
};

/**
 * A cumulative dump (every subscription started so far) lists every key of
 * the dump delivered before it. A key that goes missing, or a dump with no
 * rows at all after one with rows, means a dump cut short (a row limit, a
 * failed export), which would make its month's snapshot count too few
 * without a word: up to a half, no jump warning fires.
 */
async function cumulative({ db, source, table, files, rowsAt }: SourceCheckContext): Promise<Check> {
  const key = source.primaryKey.map(sqlIdentifier);
  const unit = source.primaryKey.length === 1 ? source.primaryKey[0]! : 'key';
  const name = 'each dump lists the one before';
  const advice = (subject: string, many: boolean) => `but each dump lists every row so far (delivery.cumulative): ${subject} ${many ? 'were' : 'was'} probably cut short. Ask for ${many ? 'them' : 'it'} again.`;
  const few = (items: string[]) => listed(items.length > 3 ? [...items.slice(0, 3), `${items.length - 3} more`] : items);
  // A file with no rows, delivered after one with rows.
  const delivered = (await queryRows(db, `SELECT DISTINCT _delivered AS d FROM ${table} ORDER BY d`)).map((r) => String(r.d));
  const empty = files.filter((f) => f.delivered !== null && delivered.length > 0 && f.delivered > delivered[0]! && !delivered.includes(f.delivered)).map((f) => f.file);
  if (empty.length > 0) return { name, source: source.id, status: 'fail', detail: `${few(empty)} ${empty.length === 1 ? 'has' : 'have'} no rows, ${advice(empty.length === 1 ? 'it' : 'they', empty.length > 1)}` };
  // Each delivery and the one after it; a row of the first whose key the second lacks.
  const missing = `(SELECT a._delivered AS before, p.next, ${key.map((k) => `a.${k}`).join(', ')}
                    FROM ${table} a JOIN (SELECT _delivered, lead(_delivered) OVER (ORDER BY _delivered) AS next FROM (SELECT DISTINCT _delivered FROM ${table})) p USING (_delivered)
                    WHERE p.next IS NOT NULL) m
                   ANTI JOIN ${table} b ON b._delivered = m.next AND ${key.map((k) => `b.${k} = m.${k}`).join(' AND ')}`;
  const pairs = await queryRows(db, `SELECT before, next, count(*) AS n FROM ${missing} GROUP BY ALL ORDER BY before`);
  if (pairs.length === 0) return { name, source: source.id, status: 'pass', detail: `every ${source.primaryKey.join(', ')} of each dump is in the next` };
  const first = pairs[0]!;
  const total = pairs.reduce((sum, p) => sum + Number(p.n), 0);
  const gone = `_delivered = ${sqlString(String(first.before))} AND (${key.join(', ')}) NOT IN (SELECT (${key.join(', ')}) FROM ${table} WHERE _delivered = ${sqlString(String(first.next))})`;
  const places = await rowsAt(gone);
  return {
    name,
    source: source.id,
    status: 'fail',
    detail:
      `${countOf(total, 'row')} of a dump ${total === 1 ? 'is' : 'are'} missing from the next (` +
      `${pairs.slice(0, 3).map((p) => `${countOf(Number(p.n), unit, `${unit}s`)} of ${String(p.before)}'s not in ${String(p.next)}'s`).join('; ')}${pairs.length > 3 ? '; …' : ''}), ` +
      advice(few(pairs.map((p) => `${String(p.next)}'s`)), pairs.length > 1) +
      (places.length > 0 ? ` The first of ${String(first.before)}'s rows missing from ${String(first.next)}'s: ${placesText(places)}.` : ''),
  };
}
