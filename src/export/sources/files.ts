/**
 * A source's delivered files: which match its pattern, the month each was
 * delivered in (from its name), and each one's size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { countOf } from '../../lib/format.ts';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import type { LoadedModel } from '../../node/load-model.ts';
import { ExportError } from '../errors.ts';

export interface SourceFile {
  file: string;
  bytes: number;
  sha256: string;
  delivered: string | null;
  /** Where its text is read from when not the file itself: its UTF-8 copy, for a source with a csv.encoding (see utf8Copies). */
  copy?: string;
}

/** The scratch table a source is loaded into. */
export const tableOf = (source: Source) => sqlIdentifier(`src_${source.id}`);

/** Where a source file is read from: the file itself, or for a source with a csv.encoding its UTF-8 copy. */
export const textOf = (root: string, file: SourceFile) => file.copy ?? join(root, file.file);

/**
 * Files matching a source's pattern (checksums come later, from
 * checksumFiles); none is an error that says what to do.
 */
export async function sourceFiles(db: DuckDBConnection, root: string, sourcesDir: string, source: Source, where: LoadedModel['where'], index: number): Promise<SourceFile[]> {
  const pattern = join(sourcesDir, source.files);
  const rows = await queryRows(db, `SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`);
  if (rows.length === 0) {
    throw new ExportError(
      `${relative(root, pattern)}: no file matches. Source ${source.id} (${where('sources', ['sources', index, 'files'])}) reads it. ` +
        'Run `npm run demo-data` for the demo extracts, or fix the pattern.',
    );
  }
  const files = rows.map((row) => {
    const file = String(row.file);
    return { file: relative(root, file), bytes: 0, sha256: '', delivered: deliveredMonth(source, file) };
  });
  const undated = source.delivery ? files.filter((f) => f.delivered === null) : [];
  if (undated.length > 0) {
    throw new ExportError(
      `${undated[0]!.file}${undated.length > 1 ? ` (and ${countOf(undated.length - 1, 'other file')})` : ''}: the name does not match the delivery pattern ${source.delivery!.pattern} ` +
        `of source ${source.id} (${where('sources', ['sources', index, 'delivery', 'pattern'])}), so the export cannot tell which month it was delivered in. ` +
        'Rename the file to match, move it out of the folder, or fix the pattern.',
    );
  }
  return files;
}

/**
 * Fills in each file's size and SHA-256, one file after another. The export
 * runs this while DuckDB loads the same files (the hashing is on Node's
 * thread, the loading on DuckDB's), so the checksums cost little extra time.
 * `signal` stops it early when the export fails.
 */
export async function checksumFiles(root: string, files: SourceFile[], signal: AbortSignal): Promise<void> {
  for (const entry of files) {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(join(root, entry.file), { highWaterMark: 4 * 1024 * 1024, signal })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    entry.bytes = bytes;
    entry.sha256 = hash.digest('hex');
  }
}

function deliveredMonth(source: Source, file: string): string | null {
  if (!source.delivery) return null;
  const match = new RegExp(source.delivery.pattern).exec(file);
  return match ? `${match[1]}-${match[2]}` : null;
}
