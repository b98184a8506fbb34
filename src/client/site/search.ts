/**
 * Site search on /search/: Pagefind's index (written after the build by
 * src/astro/search-index.ts) queried in the browser. Pagefind's script and
 * its WebAssembly come from the site itself, under the base path, so search
 * works offline on an internal server and under a 'self'-only CSP.
 */
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
  sub_results?: { title: string; url: string; excerpt: string; locations?: number[] }[];
}
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  search(query: string): Promise<{ results: { id: string; data(): Promise<PagefindResultData> }[] }>;
}

const KINDS: Record<string, string> = { stories: 'Story', kpis: 'Metric', dictionary: 'Dictionary', strategy: 'Strategy', decisions: 'Decisions' };

function kindOf(url: string, base: string): string {
  return KINDS[url.slice(base.length).split('/')[0] ?? ''] ?? 'Page';
}

/** Pagefind's excerpts are text with <mark> around matches; keep only that. */
function excerptNode(excerpt: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'search-result__excerpt';
  for (const [i, part] of excerpt.split(/<\/?mark>/).entries()) {
    const text = part.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    if (i % 2 === 1) {
      const mark = document.createElement('mark');
      mark.textContent = text;
      p.append(mark);
    } else {
      p.append(text);
    }
  }
  return p;
}

function resultItem(data: PagefindResultData, base: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'search-result';
  const kind = kindOf(data.url, base);
  li.dataset.kind = kind;
  const chip = document.createElement('span');
  chip.className = 'chip';
  chip.textContent = kind;
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  const heading = document.createElement('h2');
  heading.className = 'search-result__title';
  heading.append(chip, ' ', link);
  li.append(heading, excerptNode(data.excerpt));
  if (data.meta.cited) {
    const cited = document.createElement('p');
    cited.className = 'search-result__cited';
    cited.textContent = `Cited in: ${data.meta.cited}`;
    li.append(cited);
  }
  // The dictionary is one page: list its entries that matched, best first.
  const subs = (data.sub_results ?? [])
    .filter((s) => s.url.includes('#') && (s.locations?.length ?? 0) > 0)
    .sort((a, b) => (b.locations?.length ?? 0) - (a.locations?.length ?? 0))
    .slice(0, 5);
  if (kind === 'Dictionary' && subs.length > 0) {
    const list = document.createElement('ul');
    list.className = 'search-result__subs';
    for (const sub of subs) {
      const item = document.createElement('li');
      const a = document.createElement('a');
      a.href = sub.url;
      a.textContent = sub.title;
      item.append(a);
      list.append(item);
    }
    li.append(list);
  }
  return li;
}

export function enhanceSearch(document: Document): void {
  const root = document.querySelector<HTMLElement>('[data-search]');
  if (!root) return;
  const base = root.dataset.base!;
  const form = root.querySelector<HTMLFormElement>('form')!;
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const list = root.querySelector<HTMLOListElement>('[data-search-results]')!;
  const status = root.querySelector<HTMLElement>('[data-search-status]')!;
  let pagefind: Promise<Pagefind> | undefined;
  const load = () => {
    pagefind ??= (import(/* @vite-ignore */ `${base}pagefind/pagefind.js`) as Promise<Pagefind>).then(async (module) => {
      await module.options({ baseUrl: base });
      return module;
    });
    return pagefind;
  };

  const run = async (query: string) => {
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = 'Type a metric, a term or a topic.';
      root.dataset.state = 'ready';
      return;
    }
    root.dataset.state = 'loading';
    status.textContent = 'Searching…';
    try {
      const search = await (await load()).search(query);
      const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
      list.replaceChildren(...results.map((data) => resultItem(data, base)));
      status.textContent = results.length === 0 ? `Nothing found for “${query}”.` : `${search.results.length} ${search.results.length === 1 ? 'page' : 'pages'} found for “${query}”.`;
      root.dataset.state = 'ready';
    } catch (error) {
      status.textContent = `Search could not run: ${(error as Error).message}`;
      root.dataset.state = 'error';
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    void run(input.value);
  });
  input.addEventListener('focus', () => void load(), { once: true });
  const query = new URLSearchParams(location.search).get('q') ?? '';
  input.value = query;
  void run(query);
}
