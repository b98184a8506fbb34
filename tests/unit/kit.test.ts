/**
 * The authoring kit's components, rendered as the build renders them (Astro's
 * Container API) over the tiny company's snapshot (tiny-company.ts), whose
 * numbers are worked out by hand in pipeline.test.ts:
 *   revenue, All:    Dec 2026 £1,200 (Casting £400, Production £800);  Jan 2027 £1,250 (Casting £650, Production £600)
 *   bookings, All:   Dec 1, Jan 2 (Casting 1 + 1, Production 0 + 1);   active users: Dec 3, Jan 5
 *   bookings per active user: Dec 1/3, Jan 2/5
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoryContext } from '../../src/site/story-context.ts';
import { tinySnapshotForSite } from './tiny-company.ts';

type Component = Parameters<AstroContainer['renderToString']>[0];
const FILE = 'src/stories/kit-test.mdx';
let container: AstroContainer;
const components: Record<string, Component> = {};

beforeAll(async () => {
  await tinySnapshotForSite('kit');
  for (const name of ['Kpi', 'BarChart', 'AreaChart', 'DotChart', 'Table', 'Value', 'WhyChanged', 'Callout', 'UserStory', 'Decision', 'Term', 'Hypothesis', 'Select', 'Toggle', 'PeriodRange']) {
    components[name] = (await import(`../../src/components/${name}.astro`)).default;
  }
  container = await AstroContainer.create();
});

const story = (inputs: StoryContext['inputs'] = {}) => ({ locals: { story: { file: FILE, snapshot: '2027-01', inputs } } });
const dom = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
const render = async (name: string, props: Record<string, unknown>, inputs: StoryContext['inputs'] = {}, slots?: Record<string, string>) =>
  dom(await container.renderToString(components[name]!, { props, slots, ...story(inputs) }));
const text = (el: Element | null) => el!.textContent!.replace(/\s+/g, ' ').trim();

describe('<Kpi>', () => {
  it('shows the value, both comparisons coloured by direction, the target standing and a sparkline', async () => {
    const page = await render('Kpi', { metric: 'revenue' });
    expect(text(page.querySelector('.plotline-kpi__value'))).toBe('£1,250'); // 300 + 350 + 600
    expect(text(page.querySelector('.plotline-kpi__period'))).toBe('January 2027');
    const changes = [...page.querySelectorAll('.plotline-kpi__change')];
    // On December: £1,250 − £1,200 = +£50, and 50 / 1,200 = +4.2%. No January 2026 in the data, so no year-on-year line.
    expect(changes).toHaveLength(1);
    expect(text(changes[0]!)).toBe('Better: +£50 (+4.2%) on Dec 2026');
    expect(changes[0]!.classList.contains('plotline-kpi__change--good')).toBe(true);
    // Target £550,000 by March 2027: far off, and two months of data give no trend to reach it.
    expect(text(page.querySelector('.plotline-kpi__target'))).toBe('Behind target: £550,000 by March 2027');
    expect(page.querySelector('.plotline-kpi__spark svg')!.getAttribute('aria-label')).toBe(
      'Revenue, last 13 months, Dec 2026 to Jan 2027: from £1,200 to £1,250 (low £1,200, high £1,250).',
    );
    expect(page.querySelector('a.plotline-term__link')!.getAttribute('href')).toBe('/kpis/revenue/');
  });

  it('colours a fall as bad news for a metric where up is good', async () => {
    const page = await render('Kpi', { metric: 'revenue', businessLine: 'Production' });
    // Production: £800 → £600 is −£200 (−25%): bad for revenue.
    expect(text(page.querySelector('.plotline-kpi__change'))).toBe('Worse: −£200 (−25%) on Dec 2026');
    expect(page.querySelector('.plotline-kpi__change--bad')).not.toBeNull();
  });

  it('colours a rise as bad news for a metric where down is good', async () => {
    // Costs (down is good) on the tiny company: December £120 (10% of £1,200 revenue, 0.9 margin), January more.
    const page = await render('Kpi', { metric: 'costs' });
    const change = page.querySelector('.plotline-kpi__change')!;
    expect(change.classList.contains(text(change).includes('+') ? 'plotline-kpi__change--bad' : 'plotline-kpi__change--good')).toBe(true);
  });

  it('names the story and lists the metrics when the metric is unknown', async () => {
    await expect(render('Kpi', { metric: 'revenu' })).rejects.toThrow(`${FILE}  <Kpi metric="revenu">: unknown metric "revenu". Metrics in data/model/metrics.yaml: bookings,`);
  });
});

describe('<BarChart> over a metric', () => {
  it('draws one bar per line and month, keyed for cross-filtering, with the data table and alt text', async () => {
    const page = await render('BarChart', { title: 'Bookings', metric: 'bookings', by: 'business_line', select: 'line' }, { line: 'All' });
    const bars = [...page.querySelectorAll('.plotline-chart__plot--regular svg rect[data-key]')];
    expect(bars.map((b) => b.getAttribute('data-key')).sort()).toEqual(['Casting', 'Casting', 'Production', 'Production']);
    expect([...page.querySelectorAll('.plotline-legend button')].map((b) => b.textContent)).toEqual(['Casting', 'Production']);
    expect([...page.querySelectorAll('.plotline-chart__data tbody tr')].map((tr) => tr.textContent)).toEqual([
      'Dec 2026Casting1',
      'Dec 2026Production0',
      'Jan 2027Casting1',
      'Jan 2027Production1',
    ]);
    // Production 0 → 1 and Casting 1 → 1: the largest move is Production's +1.
    expect(page.querySelector('.plotline-chart__plot--regular svg')!.getAttribute('aria-label')).toBe(
      'Bar chart of bookings by month for Casting and Production, Dec 2026 to Jan 2027. Latest (Jan 2027): Casting 1, Production 1. Largest change: Production, +1 from Dec 2026 to Jan 2027.',
    );
    expect(text(page.querySelector('.plotline-chart__source'))).toBe('Source: Bookings, from the events data. Data as of 4 January 2027 (snapshot 2027-01).');
  });

  it('draws the target from the model as a labelled rule', async () => {
    const page = await render('BarChart', { title: 'Bookings', metric: 'bookings', target: true });
    expect([...page.querySelectorAll('.plotline-chart__plot--regular svg text')].map((t) => t.textContent)).toContain('Target 5,200 by March 2027');
  });

  it('says which dimensions a metric can be split by', async () => {
    await expect(render('BarChart', { title: 'Bookings', metric: 'bookings', by: 'colour' })).rejects.toThrow(
      `${FILE}  <BarChart title="Bookings">: metric "bookings" has no dimension "colour". It can be split by: business_line, region.`,
    );
  });
});

describe('<Table>', () => {
  it('pivots a metric by line (newest first), formats pounds, and its CSV holds exactly those rows', async () => {
    const page = await render('Table', { title: 'Revenue by line', metric: 'revenue', by: 'business_line', pivot: true });
    expect([...page.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Month', 'Casting', 'Production']);
    expect([...page.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['Jan 2027', '£650', '£600'],
      ['Dec 2026', '£400', '£800'],
    ]);
    const link = page.querySelector('a.plotline-table__csv')!;
    expect(link.getAttribute('download')).toBe('revenue-by-line.csv');
    expect(decodeURIComponent(link.getAttribute('href')!.replace('data:text/csv;charset=utf-8,', ''))).toBe(
      'month,Casting,Production\r\n2027-01-01,650,600\r\n2026-12-01,400,800\r\n',
    );
  });
});

describe('<Value>', () => {
  it('prints a metric, its change and its relative change inline', async () => {
    expect(text((await render('Value', { metric: 'revenue' })).body)).toBe('£1,250');
    expect(text((await render('Value', { metric: 'revenue', show: 'change' })).body)).toBe('+£50');
    expect(text((await render('Value', { metric: 'revenue', businessLine: 'Casting', show: 'relative' })).body)).toBe('+62.5%'); // 400 → 650
  });

  it('follows an input, and says so to the browser', async () => {
    const page = await render('Value', { metric: 'revenue', businessLine: '$line' }, { line: 'Production' });
    expect(text(page.body)).toBe('£600');
    expect(page.querySelector('[data-plotline-live]')!.getAttribute('data-inputs')).toBe('line');
  });
});

describe('<WhyChanged>', () => {
  it('splits the change in bookings between active users and bookings per active user', async () => {
    // Bookings 1 → 2 (+1) = active users 3 → 5 × bookings per user 1/3 → 2/5.
    // ln(5/3) = 0.510826, ln(1.2) = 0.182322, total ln 2 = 0.693147:
    // active users' part is 0.510826 / 0.693147 = 0.737, bookings per user's 0.182322 / 0.693147 = 0.263.
    const page = await render('WhyChanged', { metric: 'bookings' });
    const cells = [...page.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(cells[0]).toEqual(['Active users', '3', '5', '+1']);
    expect(cells[1]).toEqual(['Bookings per active user', '0.33', '0.4', '0']); // 0.263 of a booking rounds to 0
    expect(cells.at(-1)).toEqual(['Bookings', '1', '2', '+1']);
    const parts = [...page.querySelectorAll('tbody td[data-value]')].map((td) => Number(td.getAttribute('data-value')));
    expect(parts[0]).toBeCloseTo(0.737, 3);
    expect(parts[1]).toBeCloseTo(0.263, 3);
    expect(parts[0]! + parts[1]!).toBeCloseTo(1, 12);
    expect(text(page.querySelector('.plotline-why__sentence'))).toBe('Bookings rose 1 (+100%) from Dec 2026 to Jan 2027: more active users added 1.');
    expect(page.querySelector('svg')!.getAttribute('aria-label')).toContain('Waterfall chart. Bookings rose 1');
  });

  it('refuses a metric whose drivers only influence it', async () => {
    await expect(render('WhyChanged', { metric: 'returning_users' })).rejects.toThrow('its drivers only influence it (relation "influences")');
  });
});

describe('narrative blocks', () => {
  it('Callout says what kind of point it makes', async () => {
    const page = await render('Callout', { type: 'caveat' }, {}, { default: 'October had one fewer working day.' });
    expect(text(page.querySelector('.plotline-callout__title'))).toBe('Caveat');
    expect(page.querySelector('aside')!.getAttribute('aria-label')).toBe('Caveat');
  });

  it('UserStory reads as one sentence', async () => {
    const page = await render('UserStory', { as: 'regional casting lead', want: 'to see bookings by region', soThat: 'I can staff where demand is' });
    expect(text(page.body)).toBe('As a regional casting lead I want to see bookings by region so that I can staff where demand is.');
  });

  it('Hypothesis from the strategy shows its metric and how it moved since the work began', async () => {
    const page = await render('Hypothesis', { id: 'shareable-shortlists' });
    expect(text(page.querySelector('.plotline-hypothesis__text'))).toBe(
      'We believe that letting casting directors share shortlists with their team will help achieve more productions hire through us.',
    );
    // Sharing adoption in January 2027 is 1 sharer in 5 active users (pipeline test): 20%.
    expect(text(page.querySelector('.plotline-hypothesis__measure'))).toBe('Measured by Sharing adoption: 20% in January 2027.');
  });

  it('Decision checks its date and links its metric', async () => {
    const page = await render('Decision', { what: 'Raise prices', by: 'Board', date: '2027-01-10', metric: 'revenue', expected: 'More revenue' });
    expect([...page.querySelectorAll('.plotline-decision__facts dd')].map((dd) => text(dd))).toEqual(['Board, 10 January 2027', 'Revenue', 'More revenue']);
    expect(page.querySelector('.plotline-decision__facts a')!.getAttribute('href')).toBe('/kpis/revenue/');
    await expect(render('Decision', { what: 'Raise prices', by: 'Board', date: '10/01/2027', metric: 'revenue', expected: 'x' })).rejects.toThrow(
      'date "10/01/2027" is not a date written YYYY-MM-DD',
    );
  });

  it('Term carries the definition in the page and links the metric page', async () => {
    const page = await render('Term', { metric: 'bookings' }, {}, { default: 'north star' });
    expect(page.querySelector('a')!.textContent).toBe('north star');
    expect(page.querySelector('a')!.getAttribute('href')).toBe('/kpis/bookings/');
    const tip = page.querySelector('[role="tooltip"]')!;
    expect(page.querySelector('a')!.getAttribute('aria-describedby')).toBe(tip.getAttribute('id'));
    expect(text(tip)).toMatch(/^Bookings: Bookings confirmed on either portal/);
  });
});

describe('inputs', () => {
  it('Select renders its default, registers it for the queries after it, and refuses a second input of the same name', async () => {
    const inputs: StoryContext['inputs'] = {};
    const page = await render('Select', { name: 'line', label: 'Business line', options: ['All', 'Casting'], value: 'Casting' }, inputs);
    expect(page.querySelector('select')!.getAttribute('data-default')).toBe('Casting');
    expect(page.querySelector('option[selected]')!.textContent).toBe('Casting');
    expect(page.querySelector('label')!.getAttribute('for')).toBe(page.querySelector('select')!.id);
    expect(inputs).toEqual({ line: 'Casting' });
    await expect(render('Select', { name: 'line', label: 'Again', options: ['All'] }, inputs)).rejects.toThrow('an input called "line" is already on the page');
  });

  it('Toggle is a labelled switch whose default is false', async () => {
    const inputs: StoryContext['inputs'] = {};
    const page = await render('Toggle', { name: 'total', label: 'Show the total' }, inputs);
    const box = page.querySelector('input[type="checkbox"]')!;
    expect(box.getAttribute('role')).toBe('switch');
    expect(box.hasAttribute('checked')).toBe(false);
    expect(inputs).toEqual({ total: false });
  });

  it('PeriodRange offers the snapshot’s months and gives queries the first days of the chosen ones', async () => {
    const inputs: StoryContext['inputs'] = {};
    // The tiny company's monthly rows run from June 2026 (the July ticket's history) to January 2027.
    const page = await render('PeriodRange', { name: 'period', label: 'Months', from: '2026-12', to: '2027-01' }, inputs);
    expect(inputs).toEqual({ period_from: '2026-12-01', period_to: '2027-01-01' });
    const options = [...page.querySelectorAll('#input-period_from option')].map((o) => o.textContent);
    expect(options.at(-2)).toBe('Dec 2026');
    expect(options.at(-1)).toBe('Jan 2027');
    await expect(render('PeriodRange', { name: 'other', label: 'Months', from: '2031-01' }, {})).rejects.toThrow('from="2031-01" is not a month in snapshot 2027-01');
  });
});

describe('<AreaChart> and <DotChart>', () => {
  it('stack an area per line, and draw a dot per line and month, each keyed to its line', async () => {
    const area = await render('AreaChart', { title: 'Revenue', metric: 'revenue', by: 'business_line' });
    expect(area.querySelectorAll('.plotline-chart__plot--regular svg g[data-mark="area"] path')).toHaveLength(2);
    const dots = await render('DotChart', { title: 'Revenue', metric: 'revenue', by: 'business_line' });
    const keys = [...dots.querySelectorAll('.plotline-chart__plot--regular svg circle[data-key]')].map((c) => c.getAttribute('data-key')).sort();
    expect(keys).toEqual(['Casting', 'Casting', 'Production', 'Production']); // 2 lines × Dec, Jan
    expect(dots.querySelector('.plotline-chart__plot--regular svg')!.getAttribute('aria-label')).toMatch(
      // Casting £400 → £650 (+£250), Production £800 → £600 (−£200): Casting's move is the larger.
      /^Dot chart of revenue by month for Casting and Production, Dec 2026 to Jan 2027\. Latest \(Jan 2027\): Casting £650, Production £600\. Largest change: Casting, \+£250/,
    );
  });

  it('refuses a unit the model does not know', async () => {
    await expect(render('DotChart', { title: 'Revenue', metric: 'revenue', unit: 'gbp' })).rejects.toThrow('unit "gbp" is not one of count, currency, percent, ratio, duration.');
  });
});
