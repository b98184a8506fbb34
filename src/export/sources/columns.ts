/** A source's declared columns as readers read them, and a file that lacks one, refused the same way whatever its format. */
import { namesOf, type Source } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { ExportError } from '../errors.ts';
import { textOf } from './files.ts';
import type { SourceRun } from './reader.ts';

/**
 * Refuses a file without some declared column (or an old name of it) among
 * `names`, which match ignoring case, as DuckDB's do. `at` is the file (and
 * line), `shown` what the file has, `fix` what to do (and, unless `renamed`
 * is false, that a renamed column goes under renamedFrom). A format whose
 * records have keys rather than a header (JSON Lines) says `key`.
 */
export function refuseMissing(
  run: SourceRun,
  names: string[],
  { at, shown, fix, renamed = true, noun = 'column' }: { at: string; shown: string; fix: string; renamed?: boolean; noun?: 'column' | 'key' },
): void {
  const { source } = run;
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const missing = source.columns.filter((c) => !namesOf(c).some((name) => lower.has(name.toLowerCase())));
  if (missing.length === 0) return;
  const described = missing.map((c) => `"${c.name}"${c.renamedFrom.length > 0 ? ` (or its old name ${c.renamedFrom.map((n) => `"${n}"`).join(', ')})` : ''}`);
  const what = noun === 'key' ? 'no record has' : 'no column';
  throw new ExportError(
    `${at}: ${what} ${described.join(', ')}, which source ${source.id} declares (${run.at('columns')}). ${shown}\n` +
      (renamed ? `${fix}; or, if the ${noun} was renamed, list its old name under renamedFrom.` : `${fix}.`),
  );
}

/** Each declared column under each of its names, with its type: DuckDB's `types = {…}` or `columns = {…}` for a text reader. */
export const declaredTypes = (source: Source) => `{${source.columns.flatMap((c) => namesOf(c).map((name) => `${sqlString(name)}: ${sqlString(c.type)}`)).join(', ')}}`;

/** The select list of a text reader: each column under its name, its old names merged into it (a file without one of them reads it as NULL). */
export const mergedColumns = (source: Source) =>
  source.columns.map((c) => (c.renamedFrom.length > 0 ? `coalesce(${namesOf(c).map(sqlIdentifier).join(', ')}) AS ${sqlIdentifier(c.name)}` : sqlIdentifier(c.name)));

/** A SQL list of the files' paths, as read (textOf). */
export const pathList = (run: SourceRun) => `[${run.files.map((f) => sqlString(textOf(run.root, f))).join(', ')}]`;
