/**
 * The light/dark switch in the header. The page follows the operating system
 * until the reader chooses; the choice is remembered (localStorage) and
 * applied before paint by public/theme.js on the next page.
 */
const KEY = 'plotline-theme';

function current(root: HTMLElement): 'light' | 'dark' {
  const chosen = root.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function enhanceThemeToggle(document: Document): void {
  const root = document.documentElement;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    const label = button.querySelector<HTMLElement>('[data-theme-label]')!;
    const show = () => {
      const next = current(root) === 'dark' ? 'light' : 'dark';
      label.textContent = `${next === 'dark' ? 'Dark' : 'Light'} theme`;
      button.setAttribute('aria-label', `Switch to the ${next} theme`);
    };
    button.addEventListener('click', () => {
      const next = current(root) === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // Not remembered, still applied.
      }
      show();
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', show);
    show();
    button.hidden = false;
  }
}
