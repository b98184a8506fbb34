/** The reader of each source format (see reader.ts). A new format is a module beside these and a line here. */
import type { SourceFormat } from '../../lib/source-formats.ts';
import { csvReader } from './csv.ts';
import { jsonLinesReader } from './json-lines.ts';
import { parquetReader } from './parquet.ts';
import type { SourceReader } from './reader.ts';

export const READERS: Record<SourceFormat, SourceReader> = {
  csv: csvReader,
  json: jsonLinesReader,
  parquet: parquetReader,
};
