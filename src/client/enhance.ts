/**
 * The only script a story page loads up front (a few hundred bytes). It wires
 * the page's inputs to its charts and loads the live runtime, DuckDB-WASM
 * included, only when a reader reaches for an input: a pointer over it or
 * focus on it starts the download early, a change runs the queries. A page
 * that is only read loads no WebAssembly.
 */

type Runtime = typeof import('./live-charts.ts');

let runtime: Promise<Runtime> | undefined;

/** Starts loading the runtime and DuckDB once; later calls share the promise. */
function loadRuntime(): Promise<Runtime> {
  runtime ??= import('./live-charts.ts').then((module) => {
    module.warmUp();
    return module;
  });
  return runtime;
}

export function enhanceCharts(root: Document): void {
  const inputs = [...root.querySelectorAll<HTMLSelectElement>('[data-plotline-input]')];
  if (inputs.length === 0 || root.documentElement.dataset.plotlineEnhanced) return;
  root.documentElement.dataset.plotlineEnhanced = 'true';
  for (const input of inputs) {
    input.addEventListener('pointerenter', loadRuntime, { once: true });
    input.addEventListener('focus', loadRuntime, { once: true });
    input.addEventListener('change', async () => {
      const values = Object.fromEntries(inputs.map((i) => [i.dataset.plotlineInput!, i.value]));
      const charts = [...root.querySelectorAll<HTMLElement>('[data-plotline-chart]')].filter((chart) =>
        (chart.dataset.inputs ?? '').split(' ').includes(input.dataset.plotlineInput!),
      );
      for (const chart of charts) chart.dataset.state = 'loading';
      const { redraw } = await loadRuntime();
      await Promise.all(charts.map((chart) => redraw(chart, values)));
    });
  }
}
