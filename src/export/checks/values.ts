/** Checks of a loaded source's values: real numbers, at least their minimum, not before another column, and which are empty. */
import { countOf } from '../../lib/format.ts';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier } from '../../lib/sql-quote.ts';
import { atLines } from '../sources/places.ts';
import type { Check, SourceCheck } from './check.ts';

/** Floating-point columns can hold NaN and infinity, which pass a min check and poison every sum. */
const floating = (source: Source) => source.columns.filter((c) => /^(DOUBLE|FLOAT|REAL|FLOAT4|FLOAT8)$/i.test(c.type));
const bounded = (source: Source) => source.columns.filter((c) => c.min !== undefined);
/** Columns that cannot come before another (a ticket resolved before it was opened, a subscription ended before it started). */
const ordered = (source: Source) =>
  source.columns.filter((c) => c.notBefore !== undefined).map((c) => ({ column: c.name, other: c.notBefore!, early: `${sqlIdentifier(c.name)} < ${sqlIdentifier(c.notBefore!)}` }));
const nullable = (source: Source) => source.columns.filter((c) => !source.primaryKey.includes(c.name) && !c.personal);
const unreal = (name: string) => `isnan(${sqlIdentifier(name)}) OR isinf(${sqlIdentifier(name)})`;

export const finiteNumbers: SourceCheck = {
  title: 'Numbers are real numbers',
  about: 'no floating-point column holds NaN or infinity, which no sum or average survives; one that does stops the export',
  applies: (source) => floating(source).length > 0,
  scan: ({ source }) => floating(source).map((c, i) => [`unreal_${i}`, `count(*) FILTER (WHERE ${unreal(c.name)})`]),
  async run({ source, rowsAt }, stats) {
    const checks: Check[] = [];
    for (const [i, column] of floating(source).entries()) {
      const n = Number(stats[`unreal_${i}`]);
      if (n === 0) continue;
      checks.push({
        name: `${column.name} is a number`,
        source: source.id,
        status: 'fail',
        detail: `${countOf(n, 'row has', 'rows have')} NaN or infinity in ${column.name}, which no sum or average survives; fix the extract.${atLines(await rowsAt(unreal(column.name)))}`,
      });
    }
    return checks;
  },
};

export const minimums: SourceCheck = {
  title: 'Values are at least their minimum',
  about: 'no column with a declared min holds less (a negative price, say), which cannot happen; one that does stops the export, naming its line',
  applies: (source) => bounded(source).length > 0,
  scan: ({ source }) =>
    bounded(source).flatMap((c, i): [string, string][] => [
      [`low_${i}`, `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} < ${c.min})`],
      [`lowest_${i}`, `min(${sqlIdentifier(c.name)}) FILTER (WHERE ${sqlIdentifier(c.name)} < ${c.min})`],
    ]),
  async run({ source, rowsAt }, stats) {
    const checks: Check[] = [];
    for (const [i, column] of bounded(source).entries()) {
      const n = Number(stats[`low_${i}`]);
      checks.push({
        name: `${column.name} is at least ${column.min}`,
        source: source.id,
        status: n === 0 ? 'pass' : 'fail',
        detail:
          n === 0
            ? `no value below ${column.min}`
            : `${countOf(n, 'row has', 'rows have')} ${column.name} below ${column.min} (lowest ${String(stats[`lowest_${i}`])}), which cannot happen; fix the extract.` +
              atLines(await rowsAt(`${sqlIdentifier(column.name)} < ${column.min}`)),
      });
    }
    return checks;
  },
};

export const notBefore: SourceCheck = {
  title: 'Not earlier than it can be',
  about: 'no column declared notBefore another is earlier than it (a ticket resolved before it was opened); one that is stops the export, naming its line',
  applies: (source) => ordered(source).length > 0,
  scan: ({ source }) => ordered(source).map((o, i) => [`early_${i}`, `count(*) FILTER (WHERE ${o.early})`]),
  async run({ source, rowsAt }, stats) {
    const checks: Check[] = [];
    for (const [i, { column, other, early }] of ordered(source).entries()) {
      const n = Number(stats[`early_${i}`]);
      checks.push({
        name: `${column} is not before ${other}`,
        source: source.id,
        status: n === 0 ? 'pass' : 'fail',
        detail: n === 0 ? `no row has ${column} before ${other}` : `${countOf(n, 'row has', 'rows have')} ${column} before ${other}, which cannot happen; fix the extract.${atLines(await rowsAt(early))}`,
      });
    }
    return checks;
  },
};

export const emptyValues: SourceCheck = {
  title: 'Empty values',
  about: "how many rows leave each column (other than the key and personal data) empty; the model's SQL decides what an empty value means",
  scan: ({ source }) => nullable(source).map((c, i) => [`empty_${i}`, `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} IS NULL)`]),
  async run({ source }, stats) {
    const withEmpty = nullable(source).map((c, i) => [c.name, Number(stats[`empty_${i}`])] as const).filter(([, n]) => n > 0);
    return [
      {
        name: 'empty values',
        source: source.id,
        status: 'pass',
        detail: withEmpty.length === 0 ? 'none' : `empty in ${withEmpty.map(([c, n]) => `${c} (${countOf(n, 'row')})`).join(', ')}; the model's SQL decides what they mean.`,
      },
    ];
  },
};
