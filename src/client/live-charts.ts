/**
 * The live runtime, imported only when a reader uses an input: runs a chart's
 * SQL in DuckDB-WASM with the page's input values and redraws it with the
 * same builder the build used.
 */
import { CHART_SIZES, type ChartRow, dataColumns, formatCell, lineChart, type LineChartOptions } from '../lib/charts/line-chart.ts';
import { bindParameters, type ParamValue } from '../lib/sql-params.ts';
import { toRows } from './arrow-rows.ts';
import { connect, loadTable } from './duckdb.ts';

interface LiveChart {
  sql: string;
  options: LineChartOptions;
  tables: { name: string; url: string }[];
}

/** Starts DuckDB-WASM so the first change is quicker. */
export function warmUp(): void {
  connect().catch(() => {
    // The error shows when a chart actually needs the database.
  });
}

/** Re-runs one chart's query with `values` and swaps in the new SVG. */
export async function redraw(figure: HTMLElement, values: Record<string, ParamValue>): Promise<void> {
  const status = figure.querySelector<HTMLElement>('.plotline-chart__status')!;
  try {
    const chart = JSON.parse(figure.dataset.plotlineChart!) as LiveChart;
    const bound = bindParameters(chart.sql, values);
    await Promise.all(chart.tables.map((table) => loadTable(table.name, table.url)));
    const conn = await connect();
    const statement = await conn.prepare(bound.sql);
    const rows = toRows(await statement.query(...bound.values));
    await statement.close();
    for (const plot of figure.querySelectorAll<HTMLElement>('.plotline-chart__plot')) {
      const size = CHART_SIZES[plot.dataset.size as keyof typeof CHART_SIZES];
      plot.replaceChildren(rows.length > 0 ? lineChart(rows, { ...chart.options, ...size }, document) : emptyMessage());
    }
    updateTable(figure, rows, chart.options);
    status.hidden = true;
    figure.dataset.state = 'ready';
  } catch (error) {
    status.textContent = `This chart could not update: ${(error as Error).message} The chart shows the last view that worked.`;
    status.hidden = false;
    figure.dataset.state = 'error';
    throw error;
  }
}

function emptyMessage(): HTMLElement {
  const p = document.createElement('p');
  p.className = 'plotline-chart__empty';
  p.textContent = 'No data for this selection.';
  return p;
}

function updateTable(figure: HTMLElement, rows: ChartRow[], options: LineChartOptions): void {
  const body = figure.querySelector('.plotline-chart__data tbody');
  if (!body) return;
  const columns = dataColumns(options);
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      for (const column of columns) {
        const td = document.createElement('td');
        td.textContent = formatCell(row[column], column, options);
        tr.append(td);
      }
      return tr;
    }),
  );
}
