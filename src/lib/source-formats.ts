/**
 * The formats a source's files can come in, by the name the model gives
 * (sources.yaml `format`), with the words the site uses for each. Reading
 * each is the export's (src/export/sources/, one reader a format).
 */
export const SOURCE_FORMATS = {
  csv: { label: 'CSV', described: 'CSV' },
  json: { label: 'JSON Lines', described: 'JSON Lines (UTF-8 text, one object a line)' },
  parquet: { label: 'Parquet', described: 'Parquet' },
} as const;

export type SourceFormat = keyof typeof SOURCE_FORMATS;

export const FORMAT_NAMES = Object.keys(SOURCE_FORMATS) as [SourceFormat, ...SourceFormat[]];
