/**
 * The live runtime, imported only when a reader uses an input: runs each
 * dependent element's SQL in DuckDB-WASM with the page's input values (an
 * identical query runs once however many elements share it) and updates it
 * with the same code the build used: charts redraw, tables refill, values
 * in prose change.
 */
import { CHART_SIZES, chart, dataColumns, formatCell } from '../lib/charts/chart.ts';
import type { ChartOptions } from '../lib/charts/chart-options.ts';
import type { LivePayload, LiveQuery } from '../lib/live-payload.ts';
import { bindParameters, type ParamValue } from '../lib/sql-params.ts';
import { formatTableCell, heading, rawCell, shapeTable, type TableRow } from '../lib/table.ts';
import { displayValue } from '../lib/values.ts';
import { toRows } from './arrow-rows.ts';
import { refreshCsv } from './csv-link.ts';
import { connect, loadTable } from './duckdb.ts';
import { livePayload } from './live-payload.ts';
import { showFailure } from './status.ts';

/** Starts DuckDB-WASM so the first change is quicker. */
export function warmUp(): void {
  connect().catch(() => {
    // The error shows when an element actually needs the database.
  });
}

/** Updates every element in `elements` for the input `values`. */
export async function update(elements: HTMLElement[], values: Record<string, ParamValue>): Promise<void> {
  const queries = new Map<string, Promise<TableRow[]>>();
  await Promise.all(elements.map((element) => updateOne(element, values, queries)));
}

async function run(live: LiveQuery, values: Record<string, ParamValue>, queries: Map<string, Promise<TableRow[]>>): Promise<TableRow[]> {
  const bound = bindParameters(live.sql, values);
  const key = JSON.stringify([bound.sql, bound.values]);
  let result = queries.get(key);
  if (!result) {
    result = (async () => {
      await Promise.all(live.tables.map((table) => loadTable(table.name, table.url)));
      const conn = await connect();
      const statement = await conn.prepare(bound.sql);
      try {
        return toRows(await statement.query(...bound.values));
      } finally {
        await statement.close();
      }
    })();
    queries.set(key, result);
  }
  return result;
}

/** Each element's latest update; an older one that finishes later is dropped. */
const versions = new WeakMap<HTMLElement, number>();

async function updateOne(element: HTMLElement, values: Record<string, ParamValue>, queries: Map<string, Promise<TableRow[]>>): Promise<void> {
  const live = livePayload(element);
  const status = element.querySelector<HTMLElement>('.plotline-chart__status');
  const version = (versions.get(element) ?? 0) + 1;
  versions.set(element, version);
  try {
    const rows = await run(live, values, queries);
    if (versions.get(element) !== version) return;
    if (live.kind === 'chart') drawChart(element, rows, live.options, values);
    else if (live.kind === 'table') fillTable(element, rows, live.options);
    else element.textContent = displayValue(rows[0], live.options);
    if (status) status.hidden = true;
    element.dataset.state = 'ready';
  } catch (error) {
    if (versions.get(element) !== version) return;
    showFailure(element, error);
    console.error(error);
  }
}

function drawChart(figure: HTMLElement, rows: TableRow[], initial: ChartOptions, values: Record<string, ParamValue>): void {
  figure.dataset.interactive = 'true';
  let options = initial;
  const chosen = figure.dataset.select ? String(values[figure.dataset.select]) : undefined;
  // A series the default view did not have (say, a total a toggle brings in) joins the domain after the others, so none changes colour.
  if (options.series && options.seriesDomain) {
    const fresh = [...new Set(rows.map((row) => String(row[options.series!])))].filter((key) => !options.seriesDomain!.includes(key)).sort();
    options = { ...options, seriesDomain: [...options.seriesDomain, ...fresh] };
  }
  const highlight = chosen && options.seriesDomain?.includes(chosen) ? chosen : undefined;
  for (const plot of figure.querySelectorAll<HTMLElement>('.plotline-chart__plot')) {
    const size = CHART_SIZES[plot.dataset.size as keyof typeof CHART_SIZES];
    plot.replaceChildren(rows.length > 0 ? chart(rows, { ...options, ...size, highlight }, document) : emptyMessage());
  }
  const body = figure.querySelector('.plotline-chart__data tbody');
  if (!body) return;
  const columns = dataColumns(options);
  body.replaceChildren(...rows.map((row) => tableRow(columns.map((c) => ({ text: formatCell(row[c], c, options) })))));
}

function fillTable(figure: HTMLElement, rows: TableRow[], options: Extract<LivePayload, { kind: 'table' }>['options']): void {
  const shaped = shapeTable(rows, options);
  const ordered = options.newestFirst ? [...shaped.rows].reverse() : shaped.rows;
  // The columns can change (a pivoted series filtered out): rebuild the header, sortable as built.
  // With no rows there are no columns to name: the last header stays.
  const header = figure.querySelector('thead tr')!;
  if (shaped.columns.length > 0) header.replaceChildren(
    ...shaped.columns.map((column, i) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.column = column;
      th.setAttribute('aria-sort', 'none');
      if (typeof ordered[0]?.[column] === 'number') th.className = 'align-right';
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.sort = String(i);
      button.textContent = heading(column, options.labels);
      th.append(button);
      return th;
    }),
  );
  const body = figure.querySelector('tbody')!;
  body.replaceChildren(
    ...ordered.map((row) =>
      tableRow(shaped.columns.map((c) => ({ text: formatTableCell(row[c], c, shaped.units), value: rawCell(row[c]), numeric: typeof row[c] === 'number' }))),
    ),
  );
  let empty = figure.querySelector<HTMLElement>('.plotline-chart__empty');
  if (!empty) {
    empty = emptyMessage();
    figure.querySelector('.table-scroll')!.after(empty);
  }
  empty.hidden = rows.length > 0;
  refreshCsv(figure);
}

function tableRow(cells: { text: string; value?: string; numeric?: boolean }[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell.text;
    if (cell.value !== undefined) td.dataset.value = cell.value;
    if (cell.numeric) td.className = 'align-right';
    tr.append(td);
  }
  return tr;
}

function emptyMessage(): HTMLElement {
  const p = document.createElement('p');
  p.className = 'plotline-chart__empty';
  p.textContent = 'No data for this selection.';
  return p;
}
