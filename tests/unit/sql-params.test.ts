import { describe, expect, it } from 'vitest';
import { bindParameters, parameterNames } from '../../src/lib/sql-params.ts';

describe('bindParameters', () => {
  it('turns named parameters into positions, one per distinct name', () => {
    const bound = bindParameters('SELECT * FROM t WHERE ($line = \'All\' OR line = $line) AND year = $year', { line: 'Casting', year: 2026 });
    expect(bound.sql).toBe("SELECT * FROM t WHERE ($1 = 'All' OR line = $1) AND year = $2");
    expect(bound.values).toEqual(['Casting', 2026]);
    expect(bound.names).toEqual(['line', 'year']);
  });

  it('leaves dollars inside strings, quoted names and comments alone', () => {
    const sql = `SELECT '$notparam', 'it''s $x', "col$y" -- $z
      /* $w */ FROM t WHERE a = $a`;
    expect(parameterNames(sql)).toEqual(['a']);
    expect(bindParameters(sql, { a: 1 }).sql).toContain("'$notparam', 'it''s $x', \"col$y\" -- $z\n      /* $w */ FROM t WHERE a = $1");
  });

  it('never splices values into the SQL', () => {
    const bound = bindParameters('SELECT * FROM t WHERE line = $line', { line: "x' OR 1=1 --" });
    expect(bound.sql).toBe('SELECT * FROM t WHERE line = $1');
    expect(bound.values).toEqual(["x' OR 1=1 --"]);
  });

  it('names a parameter that has no value and the inputs that exist', () => {
    expect(() => bindParameters('SELECT $region', { business_line: 'All' })).toThrow(
      'The query uses $region but no input gives it a value. Known inputs: business_line. Add an input with that name before the chart, or fix the name.',
    );
  });
});
