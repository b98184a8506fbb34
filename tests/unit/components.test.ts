/**
 * The analyst components, rendered as the build renders them (Astro's
 * Container API) over a snapshot exported from the demo data: what they put
 * in the page, and the exact errors an analyst sees when something is wrong.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoryContext } from '../../src/site/story-context.ts';
import { tinySnapshotForSite } from './tiny-company.ts';

const FILE = 'src/stories/test-story.mdx';
// Over the tiny company (tiny-company.ts): revenue in Dec 2026 and Jan 2027 for each line.
const SQL = `SELECT period_start AS month, business_line, value AS revenue FROM metrics
  WHERE metric = 'revenue' AND grain = 'month' AND dimension IS NULL AND business_line <> 'All'
    AND ($business_line = 'All' OR business_line = $business_line)
  ORDER BY month, business_line`;

let container: AstroContainer;
let LineChart: Parameters<AstroContainer['renderToString']>[0];
let Select: Parameters<AstroContainer['renderToString']>[0];

beforeAll(async () => {
  await tinySnapshotForSite('components');
  LineChart = (await import('../../src/components/LineChart.astro')).default;
  Select = (await import('../../src/components/Select.astro')).default;
  container = await AstroContainer.create();
});

function story(inputs: StoryContext['inputs'] = { business_line: 'All' }, snapshot = '2027-01'): { locals: App.Locals } {
  return { locals: { story: { file: FILE, snapshot, inputs } } };
}

/** The rendered HTML as a DOM to query. */
const dom = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;

const chart = (props: Record<string, unknown>) => ({ title: 'Revenue', sql: SQL, x: 'month', y: 'revenue', stroke: 'business_line', unit: 'currency', ...props });

describe('<LineChart>', () => {
  it('puts the chart in the page as SVG, with its data table and where the data comes from', async () => {
    const page = dom(await container.renderToString(LineChart, { props: chart({}), ...story() }));
    // Drawn at both design sizes (CSS shows the compact one on phones), two lines each.
    expect(page.querySelectorAll('.plotline-chart__plot--regular svg g[data-mark="line"] path')).toHaveLength(2);
    expect(page.querySelectorAll('.plotline-chart__plot--compact svg g[data-mark="line"] path')).toHaveLength(2);
    expect(page.querySelector('.plotline-chart__plot--compact svg')!.getAttribute('viewBox')).toBe('0 0 360 280');
    expect(page.querySelectorAll('tbody tr')).toHaveLength(4); // 2 months × 2 business lines
    // 4/7 of fiscal week 40's £700 falls in December.
    expect(page.querySelector('tbody tr')!.textContent).toBe('Dec 2026Casting£400');
    expect(page.querySelector('.plotline-chart__source')!.textContent).toBe('Source: Plotline KPI snapshot. Data to the end of January 2027 (snapshot 2027-01).');
    expect(page.querySelector('figure')!.getAttribute('data-inputs')).toBe('business_line');
  });

  it('renders the input default it was given', async () => {
    const page = dom(await container.renderToString(LineChart, { props: chart({}), ...story({ business_line: 'Casting' }) }));
    expect(page.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(page.querySelector('svg')!.getAttribute('aria-label')).toBe('Line chart of revenue by month for Casting, Dec 2026 to Jan 2027. Latest (Jan 2027): Casting £650. Largest change: Casting, +£250 from Dec 2026 to Jan 2027.'); // £400 → £650
  });

  it('names the story, the chart and the columns the query really returns when a column is wrong', async () => {
    await expect(container.renderToString(LineChart, { props: chart({ y: 'revnue' }), ...story() })).rejects.toThrow(
      `${FILE}  <LineChart title="Revenue">: the query returns no column "revnue". It returns: month, business_line, revenue.`,
    );
  });

  it('names a parameter no input provides', async () => {
    await expect(container.renderToString(LineChart, { props: chart({}), ...story({}) })).rejects.toThrow(
      `${FILE}  <LineChart title="Revenue">: The query uses $business_line but no input gives it a value. Known inputs: none. Add an input with that name before the chart, or fix the name.`,
    );
  });

  it('passes on DuckDB’s own words when the SQL is wrong', async () => {
    await expect(container.renderToString(LineChart, { props: chart({ sql: 'SELECT nonsense FROM metrics' }), ...story() })).rejects.toThrow(
      new RegExp(`^${FILE}  <LineChart title="Revenue">: the query failed in DuckDB\\. .*nonsense`, 's'),
    );
  });

  it('says how to make a snapshot the story pins but nobody exported', async () => {
    await expect(container.renderToString(LineChart, { props: chart({}), ...story({ business_line: 'All' }, '2031-01') })).rejects.toThrow(
      /^src\/stories\/test-story\.mdx  <LineChart title="Revenue">: Snapshot 2031-01 does not exist \(no .*manifest\.json\)\. Run `npm run export -- --period 2031-01` to make it, or pin the story to an existing snapshot\.$/,
    );
  });
});

describe('<Select>', () => {
  it('renders a labelled select with the default chosen, and registers it for the charts after it', async () => {
    const context = story({});
    const page = dom(await container.renderToString(Select, { props: { name: 'business_line', label: 'Business line', options: ['All', 'Casting'], value: 'Casting' }, ...context }));
    expect(page.querySelector('label[for="input-business_line"]')!.textContent).toBe('Business line');
    expect(page.querySelector<HTMLSelectElement>('select#input-business_line')!.getAttribute('name')).toBe('business_line');
    expect(page.querySelector('option[selected]')!.getAttribute('value')).toBe('Casting');
    expect(context.locals.story!.inputs).toEqual({ business_line: 'Casting' });
  });

  it('refuses a default that is not one of the options', async () => {
    await expect(
      container.renderToString(Select, { props: { name: 'business_line', label: 'Line', options: ['All', 'Casting'], value: 'Retail' }, ...story({}) }),
    ).rejects.toThrow(`${FILE}  <Select name="business_line">: value "Retail" is not one of the options (All, Casting).`);
  });
});
