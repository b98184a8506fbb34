/**
 * The dashboard's business-line switch: without JavaScript every line's
 * section shows, one after another; with it, one at a time. The choice is
 * in the address (#line-casting) so it can be linked and survives a reload.
 */
export function enhanceLineSwitch(document: Document): void {
  const switcher = document.querySelector<HTMLElement>('[data-line-switch]');
  if (!switcher) return;
  const buttons = [...switcher.querySelectorAll<HTMLButtonElement>('button[data-line]')];
  const sections = [...document.querySelectorAll<HTMLElement>('[data-line-section]')];
  const show = (slug: string) => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.line === slug));
    for (const section of sections) section.hidden = section.dataset.lineSection !== slug;
  };
  for (const button of buttons) {
    button.addEventListener('click', () => {
      show(button.dataset.line!);
      history.replaceState(null, '', `#line-${button.dataset.line}`);
    });
  }
  const fromHash = location.hash.replace(/^#line-/, '');
  show(buttons.some((b) => b.dataset.line === fromHash) ? fromHash : buttons[0]!.dataset.line!);
  switcher.hidden = false;
}
