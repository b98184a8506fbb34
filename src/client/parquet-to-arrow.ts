/**
 * Reads a Parquet file with hyparquet (pure JavaScript) and re-encodes it as
 * an Arrow IPC stream that DuckDB-WASM inserts without its Parquet extension
 * (which the npm build lacks and would fetch from DuckDB's servers).
 *
 * Encoding uses Flechette, not apache-arrow's builders: those compile code
 * with `new Function`, which the site's Content-Security-Policy forbids.
 * Strings become dictionary-encoded (snapshot strings repeat: business
 * lines, metric ids), which keeps the copy and the insert fast.
 *
 * Types: DATE → DateDay, TIMESTAMP → Timestamp(ms), DOUBLE/FLOAT and INT64 →
 * Float64 (DuckDB-WASM runs with castBigIntToDouble; snapshot numbers stay
 * far below 2^53), INT32 → Int32, BOOLEAN → Bool, STRING → Dictionary<Utf8>.
 */
import { bool, type DataType, dateDay, dictionary, float64, int32, tableFromArrays, tableToIPC, timestamp, TimeUnit, utf8 } from '@uwdata/flechette';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';

type Element = { name: string; type?: string; converted_type?: string; logical_type?: { type: string } };

export async function parquetToArrowIPC(buffer: ArrayBuffer): Promise<Uint8Array> {
  const metadata = parquetMetadata(buffer);
  const fields = parquetSchema(metadata).children.map((child) => child.element as Element);
  const columns = new Map<string, unknown[]>(fields.map((field) => [field.name, []]));
  await parquetRead({
    file: buffer,
    metadata,
    onChunk({ columnName, columnData }) {
      const target = columns.get(columnName)!;
      for (let i = 0; i < columnData.length; i += 1) {
        const value = columnData[i];
        target.push(typeof value === 'bigint' ? Number(value) : value);
      }
    },
  });
  const table = tableFromArrays(
    fields.map((field): [string, unknown[]] => [field.name, columns.get(field.name)!]),
    { types: Object.fromEntries(fields.map((field) => [field.name, arrowType(field)])) },
  );
  const bytes = tableToIPC(table, { format: 'stream' });
  if (!bytes) throw new Error('Could not encode the snapshot table as Arrow.');
  return bytes;
}

/** The Arrow type for a Parquet column; unknown types fail with what to do. */
export function arrowType(field: Element): DataType {
  const logical = field.logical_type?.type ?? field.converted_type;
  if (logical === 'DATE') return dateDay();
  if (logical === 'TIMESTAMP' || logical === 'TIMESTAMP_MILLIS' || logical === 'TIMESTAMP_MICROS') return timestamp(TimeUnit.MILLISECOND);
  if (logical === 'STRING' || logical === 'UTF8' || field.type === 'BYTE_ARRAY') return dictionary(utf8(), int32());
  switch (field.type) {
    case 'BOOLEAN':
      return bool();
    case 'INT32':
      return int32();
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return float64();
    default:
      throw new Error(`Column "${field.name}" has Parquet type ${field.type}, which the browser loader does not read. Cast it in the export, for example to DOUBLE or VARCHAR.`);
  }
}
