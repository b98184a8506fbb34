/**
 * Personal data never reaches public/: every value of every personal-data
 * column of the demo sources is looked for in every exported file (Parquet
 * values and manifest text), and none is found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { loadModel } from '../../src/node/load-model.ts';
import { type DemoSnapshot, demoSnapshot } from './helpers.ts';
import { ROOT } from './tiny-company.ts';

let demo: DemoSnapshot;
beforeAll(async () => {
  demo = await demoSnapshot();
}, 60_000);

describe('privacy', () => {
  it('no personal-data value of the demo sources appears in any exported file', async () => {
    const { model } = loadModel(ROOT);
    const db = await openDatabase();
    const personal = new Set<string>();
    for (const source of model.sources) {
      for (const column of source.columns.filter((c) => c.personal)) {
        const files = join(demo.sourcesDir, source.files);
        const reader =
          source.format === 'csv'
            ? `read_csv('${files}', union_by_name = true, all_varchar = true${source.csv?.delimiter ? `, delim = '${source.csv.delimiter}'` : ''})`
            : `read_json('${files}', format = 'newline_delimited')`;
        for (const row of await queryRows(db, `SELECT DISTINCT "${column.name}"::VARCHAR AS v FROM ${reader} WHERE "${column.name}" IS NOT NULL`)) personal.add(String(row.v));
      }
    }
    expect(personal.size).toBeGreaterThan(1000); // people, emails and account references

    const dir = demo.result.dir;
    const found: string[] = [];
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.parquet')) {
        const columns = await queryRows(db, `DESCRIBE SELECT * FROM read_parquet('${join(dir, file)}')`);
        for (const { column_name: column } of columns.filter((c) => String(c.column_type) === 'VARCHAR')) {
          for (const row of await queryRows(db, `SELECT DISTINCT "${String(column)}" AS v FROM read_parquet('${join(dir, file)}') WHERE "${String(column)}" IS NOT NULL`)) {
            if (personal.has(String(row.v))) found.push(`${file} ${String(column)}: ${String(row.v)}`);
          }
        }
      } else {
        const text = readFileSync(join(dir, file), 'utf8');
        for (const value of personal) if (text.includes(value)) found.push(`${file}: ${value}`);
      }
    }
    expect(found).toEqual([]);
  });
});
