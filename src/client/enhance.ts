/**
 * The only script a story page loads up front (a few kilobytes). It wires the
 * page's inputs to the charts, tables and values that use them, keeps the
 * inputs in the address (?name=value) so a link reproduces the view, makes
 * tables sortable and their CSV download follow what is shown, and lets a
 * chart act as an input (click a bar, point or legend entry to filter the
 * page; click again to clear).
 *
 * The live runtime, DuckDB-WASM included, loads only when a reader reaches for
 * an input: a pointer over it or focus on it starts the download early, a
 * change runs the queries. A page that is only read loads no WebAssembly.
 */
import type { ParamValue } from '../lib/sql-params.ts';
import { refreshCsv } from './csv-link.ts';
import { showFailure } from './status.ts';

type Runtime = typeof import('./live.ts');
type Input = HTMLInputElement | HTMLSelectElement;

let runtime: Promise<Runtime> | undefined;

/** Starts loading the runtime and DuckDB once; later calls share the promise. */
function loadRuntime(): Promise<Runtime> {
  runtime ??= import('./live.ts').then((module) => {
    module.warmUp();
    return module;
  });
  return runtime;
}

const nameOf = (input: Input) => input.dataset.plotlineInput!;

function valueOf(input: Input): ParamValue {
  return input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
}

function setValue(input: Input, text: string): boolean {
  if (input instanceof HTMLInputElement && input.type === 'checkbox') {
    input.checked = text === 'true';
    return true;
  }
  if (input instanceof HTMLSelectElement && ![...input.options].some((o) => o.value === text)) return false;
  input.value = text;
  return true;
}

export function enhance(root: Document): void {
  if (root.documentElement.dataset.plotlineEnhanced) return;
  root.documentElement.dataset.plotlineEnhanced = 'true';
  const inputs = [...root.querySelectorAll<Input>('[data-plotline-input]')];
  const values = () => Object.fromEntries(inputs.map((i) => [nameOf(i), valueOf(i)]));

  /** Updates in flight: the page is "updating" until the last one ends (tests and the bench wait on it). */
  let inFlight = 0;
  /** Re-runs everything that depends on any of `names`. */
  const update = async (names: string[]) => {
    const dependents = [...root.querySelectorAll<HTMLElement>('[data-plotline-live]')].filter((el) =>
      (el.dataset.inputs ?? '').split(' ').some((n) => names.includes(n)),
    );
    for (const el of dependents) el.dataset.state = 'loading';
    inFlight += 1;
    root.documentElement.dataset.plotlineUpdating = 'true';
    try {
      const live = await loadRuntime();
      await live.update(dependents, values());
    } catch (error) {
      // The runtime or DuckDB-WASM did not load (offline, file://): say so where the reader looks.
      runtime = undefined;
      for (const el of dependents) showFailure(el, error);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) delete root.documentElement.dataset.plotlineUpdating;
    }
  };

  /** The address holds every input that is not at its default. */
  const remember = () => {
    const url = new URL(location.href);
    for (const input of inputs) {
      const value = String(valueOf(input));
      if (value === input.dataset.default) url.searchParams.delete(nameOf(input));
      else url.searchParams.set(nameOf(input), value);
    }
    history.replaceState(history.state, '', url);
  };

  for (const input of inputs) {
    input.addEventListener('pointerenter', loadRuntime, { once: true });
    input.addEventListener('focus', loadRuntime, { once: true });
    input.addEventListener('change', () => {
      remember();
      markLegends(root, values());
      void update([nameOf(input)]);
    });
  }

  // A link with ?name=value reproduces that view. An input changed before this script ran (a reader
  // quicker than the network, or the browser restoring a form) counts as changed too.
  const params = new URL(location.href).searchParams;
  const fromUrl = inputs.filter((input) => params.has(nameOf(input)) && params.get(nameOf(input)) !== String(valueOf(input)) && setValue(input, params.get(nameOf(input))!));
  const early = inputs.filter((input) => !fromUrl.includes(input) && String(valueOf(input)) !== input.dataset.default);
  if (early.length > 0) remember();
  const changed = [...fromUrl, ...early];
  if (changed.length > 0) {
    markLegends(root, values());
    void update(changed.map(nameOf));
  }

  // Cross-filtering: a click on a keyed mark or legend entry sets the chart's input; a second click clears it.
  const choose = (mark: Element, figure: HTMLElement) => {
    const input = inputs.find((i) => nameOf(i) === figure.dataset.select);
    if (!input) return;
    const key = mark.getAttribute('data-key')!;
    const next = String(valueOf(input)) === key ? input.dataset.default! : key;
    if (setValue(input, next)) input.dispatchEvent(new Event('change'));
  };
  const markOf = (target: EventTarget | null) => (target as Element).closest?.('[data-select] [data-key]') ?? null;
  // A redraw between press and release (hover tips arriving replace the chart's SVG) leaves Chromium
  // no click to send, as the pressed mark is gone: the mark is remembered and chosen on release.
  // Both listen in the capture phase: Plot's tips stop a pointerdown from reaching the document.
  let pressed: { mark: Element; figure: HTMLElement } | null = null;
  let chosenOnRelease = false;
  root.addEventListener(
    'pointerdown',
    (event) => {
      chosenOnRelease = false;
      const mark = markOf(event.target);
      pressed = mark ? { mark, figure: mark.closest<HTMLElement>('[data-select]')! } : null;
    },
    { capture: true },
  );
  root.addEventListener(
    'pointerup',
    () => {
      if (pressed && !pressed.mark.isConnected) {
        choose(pressed.mark, pressed.figure);
        chosenOnRelease = true;
      }
      pressed = null;
    },
    { capture: true },
  );
  root.addEventListener('click', (event) => {
    // A browser that still sends a click after such a release: already chosen (keyboard clicks have detail 0).
    if (chosenOnRelease && event.detail !== 0) {
      chosenOnRelease = false;
      return;
    }
    const mark = markOf(event.target);
    if (mark) choose(mark, mark.closest<HTMLElement>('[data-select]')!);
  });

  enhanceTables(root);

  // Hover tips: the first time a pointer enters a chart, redraw it with Plot from its embedded rows.
  for (const figure of root.querySelectorAll<HTMLElement>('figure.plotline-chart[data-plotline-live]')) {
    figure.addEventListener(
      'pointerenter',
      () => {
        // Tips are a nicety: if Plot cannot load (offline, say), the chart simply stays as built.
        if (!figure.dataset.interactive) import('./tips.ts').then((tips) => tips.activate(figure)).catch(() => undefined);
      },
      { once: true },
    );
  }
}

/** Legend buttons of cross-filtering charts show which entry is chosen. */
function markLegends(root: Document, values: Record<string, ParamValue>): void {
  for (const figure of root.querySelectorAll<HTMLElement>('[data-select]')) {
    const chosen = String(values[figure.dataset.select!]);
    for (const button of figure.querySelectorAll('button[data-key]')) button.setAttribute('aria-pressed', String(button.getAttribute('data-key') === chosen));
  }
}

/** Sortable columns, and a CSV link that always holds the rows shown, in the order shown. */
function enhanceTables(root: Document): void {
  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest?.<HTMLButtonElement>('button[data-sort]');
    const table = button?.closest('table');
    if (!button || !table) return;
    const column = Number(button.dataset.sort);
    const th = button.closest('th')!;
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    for (const other of table.querySelectorAll('th')) other.setAttribute('aria-sort', 'none');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const body = table.tBodies[0]!;
    const cell = (row: HTMLTableRowElement) => row.cells[column]?.dataset.value ?? '';
    // A column is numeric when every filled cell is a number; empty cells sort last either way.
    const numeric = [...body.rows].every((row) => cell(row) === '' || !Number.isNaN(Number(cell(row))));
    const rows = [...body.rows].sort((a, b) => {
      const x = cell(a);
      const y = cell(b);
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
      const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, 'en-GB');
      return ascending ? order : -order;
    });
    body.append(...rows);
    refreshCsv(table.closest('figure')!);
  });
}
