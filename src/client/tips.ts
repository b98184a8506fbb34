/**
 * Hover tips on a chart nobody has changed yet. The build draws each chart as
 * static SVG; Observable Plot's tips need its event handlers, which only a
 * browser-drawn chart has. When a pointer first enters a chart, this redraws
 * it in place, with the same builder and the rows the build drew (embedded
 * in the page), so no database is needed: only Plot loads.
 */
import { chart, CHART_SIZES, type ChartRow } from '../lib/charts/chart.ts';
import { livePayload } from './live-payload.ts';

export function activate(figure: HTMLElement): void {
  // A chart an input is updating, or has updated, already has live tips and newer rows.
  if (figure.dataset.interactive || figure.dataset.state !== 'ready') return;
  const data = figure.querySelector('script.plotline-chart__rows');
  if (!data?.textContent) return;
  const { dates, rows } = JSON.parse(data.textContent) as { dates: string[]; rows: ChartRow[] };
  if (rows.length === 0) return;
  for (const row of rows) for (const key of dates) row[key] = new Date(row[key] as string);
  const live = livePayload(figure);
  if (live.kind !== 'chart') return;
  const { options } = live;
  figure.dataset.interactive = 'true';
  for (const plot of figure.querySelectorAll<HTMLElement>('.plotline-chart__plot')) {
    const size = CHART_SIZES[plot.dataset.size as keyof typeof CHART_SIZES];
    plot.replaceChildren(chart(rows, { ...options, ...size }, document));
  }
}
