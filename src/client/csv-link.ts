/** A table's "Download these rows (CSV)" link, kept to the rows shown. */
import { csvText } from '../lib/csv.ts';

/** Rewrites a table's CSV link from the rows in its body (raw values, as shown, in the order shown). */
export function refreshCsv(figure: Element): void {
  const link = figure.querySelector<HTMLAnchorElement>('a.plotline-table__csv');
  const table = figure.querySelector('table');
  if (!link || !table) return;
  const header = [...table.tHead!.rows[0]!.cells].map((th) => th.dataset.column ?? th.textContent!.trim());
  const lines = [...table.tBodies[0]!.rows].map((row) => [...row.cells].map((td) => td.dataset.value ?? ''));
  link.href = `data:text/csv;charset=utf-8,${encodeURIComponent(csvText([header, ...lines]))}`;
}
