/**
 * Named query parameters, shared by the build (native DuckDB) and the browser
 * (DuckDB-WASM). Authors write `$business_line`; DuckDB-WASM's prepared
 * statements bind by position only, so both engines get the same SQL with
 * `$1, $2, …` and a values array. Input values are never spliced into SQL.
 *
 * Handled: string literals ('it''s'), quoted identifiers ("a$b"), line and
 * block comments, and `$$…$$` dollar-quoted strings are skipped; a name used
 * twice gets one position.
 */

export type ParamValue = string | number | boolean | null;

export interface BoundQuery {
  sql: string;
  values: ParamValue[];
  /** Parameter names in position order: names[0] is `$1`. */
  names: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Names of the `$name` parameters in `sql`, in order of first use. */
export function parameterNames(sql: string): string[] {
  return rewrite(sql).names;
}

/**
 * Rewrites `$name` parameters to positions and collects their values from
 * `params`. Throws when a parameter has no value, naming it and the known ones.
 */
export function bindParameters(sql: string, params: Record<string, ParamValue>): BoundQuery {
  const { text, names } = rewrite(sql);
  const missing = names.filter((name) => !(name in params));
  if (missing.length > 0) {
    const known = Object.keys(params);
    throw new Error(
      `The query uses ${missing.map((n) => `$${n}`).join(', ')} but no input gives ${missing.length > 1 ? 'them' : 'it'} a value. ` +
        `Known inputs: ${known.length > 0 ? known.join(', ') : 'none'}. Add an input with that name before the chart, or fix the name.`,
    );
  }
  return { sql: text, values: names.map((name) => params[name] ?? null), names };
}

function rewrite(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '$') {
      NAME.lastIndex = i + 1;
      const match = NAME.exec(sql);
      if (match) {
        const name = match[0];
        let position = names.indexOf(name);
        if (position === -1) position = names.push(name) - 1;
        out += `$${position + 1}`;
        i += 1 + name.length;
      } else {
        out += ch;
        i += 1;
      }
    } else {
      out += ch;
      i += 1;
    }
  }
  return { text: out, names };
}

/** Index just past the quote that closes the one at `start` ('' and "" escape). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return sql.length;
}
