/** Where rows are in the delivered files, as messages show it: `file:line`, or a Parquet file's row. */
import { listed } from '../../lib/format.ts';

export interface Place {
  file: string;
  /** The line, or with `row` the row of a Parquet file (from 1). */
  line: number;
  row?: boolean;
}

/** "a.csv:4" for one line, "a.csv, lines 4 and 9; b.csv:2" for more: each file named once, in order. */
export function placesText(places: Place[]): string {
  const byFile = Map.groupBy(places, (p) => p.file);
  return [...byFile]
    .map(([file, at]) => {
      const numbers = listed(at.map((p) => String(p.line)));
      if (at[0]!.row) return `${file}, ${at.length === 1 ? 'row' : 'rows'} ${numbers}`;
      return at.length === 1 ? `${file}:${at[0]!.line}` : `${file}, lines ${numbers}`;
    })
    .join('; ');
}

/** " First at a.csv:4." for a message, or "" when none was found. */
export const atLines = (places: Place[]) => (places.length === 0 ? '' : ` First at ${placesText(places)}.`);
