/**
 * Filters for lists that read fully without JavaScript (the archive, the
 * dictionary). A `[data-filters="<list id>"]` form, hidden in the HTML, is
 * shown and wired up: each `select[data-filter="key"]` keeps items whose
 * `data-key` (values separated by "|") includes the choice; an
 * `input[data-filter-text]` keeps items whose text contains the words.
 * Groups (`[data-filter-group]`) with nothing left hide too. The choices
 * live in the query string (?key=value), so a filtered view can be linked.
 */
export function enhanceFilters(document: Document): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('[data-filters]')) {
    const list = document.getElementById(form.dataset.filters!);
    if (!list) continue;
    const items = [...list.querySelectorAll<HTMLElement>('[data-filter-item]')];
    const groups = [...list.querySelectorAll<HTMLElement>('[data-filter-group]')];
    const selects = [...form.querySelectorAll<HTMLSelectElement>('select[data-filter]')];
    const text = form.querySelector<HTMLInputElement>('input[data-filter-text]');
    const status = form.querySelector<HTMLElement>('[data-filter-status]');
    const params = new URLSearchParams(location.search);
    for (const select of selects) {
      const wanted = params.get(select.dataset.filter!);
      if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
    }
    if (text && params.get('q')) text.value = params.get('q')!;

    const apply = () => {
      const words = (text?.value ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of items) {
        const matches =
          selects.every((s) => s.value === '' || (item.dataset[s.dataset.filter!] ?? '').split('|').includes(s.value)) &&
          words.every((w) => (item.textContent ?? '').toLowerCase().includes(w));
        item.hidden = !matches;
        if (matches) shown += 1;
      }
      for (const group of groups) group.hidden = !group.querySelector('[data-filter-item]:not([hidden])');
      if (status) status.textContent = shown === items.length ? `All ${items.length} shown` : `${shown} of ${items.length} shown`;
      const query = new URLSearchParams();
      for (const s of selects) if (s.value) query.set(s.dataset.filter!, s.value);
      if (text?.value) query.set('q', text.value);
      const search = query.toString();
      history.replaceState(null, '', search ? `?${search}` : location.pathname);
    };
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('reset', () => setTimeout(apply));
    form.hidden = false;
    apply();
  }
}
