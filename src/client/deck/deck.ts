/**
 * The audience's deck: which slide shows, the progress indicator, deep links
 * (`#/7`, kept on reload), the overview grid, the blank screen and fitting
 * each slide's content into its 16:9 canvas. The slides themselves are in
 * the HTML (the build splits the story); CSS scales each fixed 1280 × 720
 * canvas to its frame, so this file moves no pixels.
 */
export interface DeckElements {
  root: HTMLElement;
  counter: HTMLElement | null;
  progress: HTMLElement | null;
  bar: HTMLElement | null;
}

/** Content this much taller than its canvas is shrunk step by step, down to MIN_FIT. */
const MIN_FIT = 0.6;

export class Deck {
  readonly slides: HTMLElement[];
  index = -1;
  /** Called after every change of slide; `local` is false when another window asked for it. */
  onChange: (index: number, local: boolean) => void = () => {};

  private readonly elements: DeckElements;

  constructor(elements: DeckElements) {
    this.elements = elements;
    this.slides = [...elements.root.querySelectorAll<HTMLElement>(':scope > .deck-slide')];
    this.slides.forEach((slide, i) => {
      slide.setAttribute('aria-label', `Slide ${i + 1} of ${this.slides.length}`);
      slide.dataset.slide = String(i + 1);
    });
    elements.progress?.setAttribute('aria-valuemax', String(this.slides.length));
  }

  get count(): number {
    return this.slides.length;
  }

  /** Shows slide `index` (0-based, clamped); `local` says this window decided it. */
  go(index: number, local = true): void {
    const next = Math.max(0, Math.min(this.count - 1, Math.trunc(index)));
    if (Number.isNaN(next) || next === this.index) return;
    this.index = next;
    this.slides.forEach((slide, i) => {
      const current = i === next;
      slide.classList.toggle('deck-slide--current', current);
      if (current) slide.setAttribute('aria-current', 'step');
      else slide.removeAttribute('aria-current');
      if (!this.overview) slide.inert = !current;
    });
    const { counter, progress, bar } = this.elements;
    if (counter) counter.textContent = `${next + 1} / ${this.count}`;
    progress?.setAttribute('aria-valuenow', String(next + 1));
    progress?.setAttribute('aria-valuetext', `Slide ${next + 1} of ${this.count}`);
    // CSSOM, not a style attribute: the page's Content-Security-Policy allows this.
    if (bar) bar.style.width = `${((next + 1) / this.count) * 100}%`;
    const hash = `#/${next + 1}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
    this.onChange(next, local);
  }

  next(): void {
    this.go(this.index + 1);
  }

  previous(): void {
    this.go(this.index - 1);
  }

  /** The slide a `#/7` link names (0-based), or undefined. */
  static fromHash(hash: string): number | undefined {
    const match = /^#\/(\d+)$/.exec(hash);
    return match ? Number(match[1]) - 1 : undefined;
  }

  get overview(): boolean {
    return document.documentElement.hasAttribute('data-overview');
  }

  /** The grid of every slide; picking one (click, or Enter on the current) shows it. */
  setOverview(on: boolean): void {
    document.documentElement.toggleAttribute('data-overview', on);
    this.slides.forEach((slide, i) => {
      // In the grid a whole slide is one target: its contents take no clicks or focus.
      slide.inert = on ? false : i !== this.index;
      slide.querySelector<HTMLElement>('.deck-slide__canvas')!.inert = on;
      slide.tabIndex = on ? 0 : -1;
    });
    if (on) this.slides[this.index]?.focus();
  }

  get blank(): boolean {
    return document.documentElement.hasAttribute('data-blank');
  }

  setBlank(on: boolean): void {
    document.documentElement.toggleAttribute('data-blank', on);
  }

  /**
   * Shrinks the content of slides that overflow their canvas (a long table,
   * a chart and a callout) until it fits, down to 60%: text stays large
   * where there is room, and nothing is cut off where there is not.
   */
  fit(): void {
    for (const slide of this.slides) {
      const canvas = slide.querySelector<HTMLElement>('.deck-slide__canvas');
      if (!canvas) continue;
      let fit = 1;
      canvas.style.removeProperty('--fit');
      while (canvas.scrollHeight > canvas.clientHeight + 1 && fit > MIN_FIT) {
        fit = Math.round((fit - 0.05) * 100) / 100;
        canvas.style.setProperty('--fit', String(fit));
      }
      slide.toggleAttribute('data-overflow', canvas.scrollHeight > canvas.clientHeight + 1);
      if (fit < 1) slide.dataset.fit = String(fit);
      else delete slide.dataset.fit;
    }
  }
}
