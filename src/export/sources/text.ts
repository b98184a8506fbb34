/**
 * A text file's first bytes, read before the file is loaded: byte-order
 * marks, an empty file, UTF-16 where UTF-8 is read; and the UTF-8 copies of
 * files a source declares in another encoding.
 */
import { isAscii } from 'node:buffer';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { textEncoding } from '../../lib/model-schema.ts';
import { ExportError } from '../errors.ts';
import { type SourceFile, textOf } from './files.ts';
import type { SourceRun } from './reader.ts';

/** Byte-order marks, and the encoding each starts. */
const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The encoding whose byte-order mark `bytes` (a file's first) start with, if any. */
export const bomOf = (bytes: Buffer) => BOMS.find(([mark]) => mark.every((b, j) => bytes[j] === b))?.[1];

/** The first 64 KiB of a file (all of it when smaller). */
export async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { end: 65_535 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first line of `head`, without a UTF-8 byte-order mark (DuckDB's CSV reader skips one). */
export const firstLine = (head: Buffer) => (head.toString('utf8').split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '');

/** "events (data/model/sources.yaml:12)": the source as messages name it. */
export const declaredAt = (run: SourceRun) => `${run.source.id} (${run.at('files')})`;

/** A file's first 64 KiB, after refusing an empty one (a failed extract). */
export async function headOf(run: SourceRun, entry: SourceFile): Promise<Buffer> {
  const head = await readHead(textOf(run.root, entry));
  if (head.length === 0) {
    throw new ExportError(
      `${entry.file}: the file is empty (0 bytes), so its extract probably failed. Source ${declaredAt(run)} reads it.\n` +
        `Ask ${run.source.owner} for it again, or move it out of the folder if it was delivered by mistake.`,
    );
  }
  return head;
}

/** Refuses UTF-16 text (Excel's "Unicode text") where UTF-8 is read; `hint` says what else the source could declare. */
export function refuseUtf16(run: SourceRun, entry: SourceFile, head: Buffer, hint = '.'): void {
  if (!bomOf(head)?.startsWith('utf-16')) return;
  throw new ExportError(
    `${entry.file}: the file is UTF-16 text (it starts with a UTF-16 byte-order mark), but source ${declaredAt(run)} is read as UTF-8.\n` +
      `Save it as UTF-8 (in Excel: Save As "CSV UTF-8"), or ask ${run.source.owner} for a UTF-8 extract${hint}`,
  );
}

/**
 * For a source whose CSV files are not UTF-8 (csv.encoding; Excel's plain
 * "CSV" is Windows-1252), writes each file's text as UTF-8 into the run's
 * scratch folder and notes the copy on the file: DuckDB and csv-parse read
 * the copies, and since every line stays a line, messages still name the
 * file and its line. The checksums are of the files as delivered. A file in
 * another encoding than the one declared is refused, as decoding it would
 * garble its text ("£" written as UTF-8 reads as "Â£" in Windows-1252): one
 * that starts with another encoding's byte-order mark, or, when UTF-8 is not
 * declared, one whose bytes beyond ASCII all read as UTF-8 (text in
 * Windows-1252 hardly ever does).
 */
export async function utf8Copies(run: SourceRun): Promise<void> {
  const { root, source, files } = run;
  const encoding = textEncoding(source);
  if (!encoding) return;
  const label = source.csv!.encoding!;
  const declared = `source ${source.id} declares csv.encoding ${label} (${run.at('csv', 'encoding')})`;
  mkdirSync(run.scratch, { recursive: true });
  for (const [i, entry] of files.entries()) {
    const copy = join(run.scratch, `${i}-${basename(entry.file)}`);
    const decoder = new TextDecoder(encoding);
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let bom: string | undefined;
    let ascii = true;
    let readsAsUtf8 = true;
    await pipeline(
      createReadStream(join(root, entry.file), { highWaterMark: 1024 * 1024 }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bom ??= bomOf(chunk) ?? '';
          ascii &&= isAscii(chunk);
          if (!ascii && readsAsUtf8) {
            try {
              utf8.decode(chunk, { stream: true });
            } catch {
              readsAsUtf8 = false;
            }
          }
          yield decoder.decode(chunk, { stream: true });
        }
        yield decoder.decode();
      },
      createWriteStream(copy),
    );
    try {
      utf8.decode();
    } catch {
      readsAsUtf8 = false;
    }
    const found = bom && bom !== encoding ? bom : !bom && !ascii && readsAsUtf8 ? 'utf-8' : null;
    if (found) {
      throw new ExportError(
        `${entry.file}: the file is ${found.toUpperCase()} text${bom ? ' (it starts with its byte-order mark)' : ''}, but ${declared}: read as ${encoding}, its text would be garbled.\n` +
          (found === 'utf-8' ? 'If the extract now comes as UTF-8, remove csv.encoding from the source' : `Set csv.encoding to ${found}`) +
          `; if only this file differs, ask ${source.owner} for it in ${label}.`,
      );
    }
    entry.copy = copy;
  }
}
