/**
 * The presenter view: the same page opened with `?view=presenter`. The
 * current slide keeps its place in the deck (live charts and all); beside
 * it, a copy of the next slide, the current slide's notes, the time elapsed
 * since the view opened (click Reset to restart it) and the clock.
 */
import type { Deck } from './deck.ts';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Minutes and seconds (hours when past the hour): 0:00, 12:04, 1:02:09. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** A copy of a slide for a preview: no ids (they would clash), not focusable, hidden from screen readers. */
function preview(slide: HTMLElement): HTMLElement {
  const copy = slide.cloneNode(true) as HTMLElement;
  for (const node of [copy, ...copy.querySelectorAll('[id]')]) node.removeAttribute('id');
  copy.classList.remove('deck-slide--current');
  copy.classList.add('deck-slide--preview');
  copy.removeAttribute('aria-current');
  copy.inert = true;
  copy.setAttribute('aria-hidden', 'true');
  return copy;
}

export function startPresenter(deck: Deck, now: () => number = Date.now): (index: number) => void {
  const panel = element('div', 'deck-presenter');
  const nextBox = element('section', 'deck-presenter__next');
  nextBox.setAttribute('aria-label', 'Next slide');
  const nextLabel = element('h2', 'deck-presenter__label', 'Next');
  const nextFrame = element('div', 'deck-presenter__next-frame');
  nextBox.append(nextLabel, nextFrame);

  const notesBox = element('section', 'deck-presenter__notes');
  notesBox.setAttribute('aria-label', 'Notes');
  const notesBody = element('div', 'deck-presenter__notes-body');
  notesBox.append(element('h2', 'deck-presenter__label', 'Notes'), notesBody);

  const bar = element('div', 'deck-presenter__bar');
  const elapsed = element('span', 'deck-presenter__elapsed', '0:00');
  const reset = element('button', 'deck-presenter__reset', 'Reset');
  reset.type = 'button';
  const clock = element('span', 'deck-presenter__clock');
  const position = element('span', 'deck-presenter__position');
  const timer = element('p', 'deck-presenter__time');
  timer.append('Elapsed ', elapsed, ' ', reset);
  const time = element('p', 'deck-presenter__time');
  time.append('Time ', clock);
  bar.append(timer, time, position);
  panel.append(nextBox, notesBox, bar);
  document.body.append(panel);

  let started = now();
  reset.addEventListener('click', () => {
    started = now();
    tick();
  });
  const tick = () => {
    elapsed.textContent = formatElapsed(now() - started);
    clock.textContent = clockFormat.format(new Date(now()));
  };
  tick();
  setInterval(tick, 1000);

  return (index: number) => {
    const slide = deck.slides[index + 1];
    nextFrame.replaceChildren(slide ? preview(slide) : element('p', 'deck-presenter__end', 'End of the deck'));
    const notes = [...(deck.slides[index]?.querySelectorAll<HTMLTemplateElement>('template.deck-notes') ?? [])];
    notesBody.replaceChildren(...(notes.length > 0 ? notes.map((n) => n.content.cloneNode(true)) : [element('p', 'deck-presenter__none', 'No notes for this slide.')]));
    position.textContent = `Slide ${index + 1} of ${deck.count}`;
  };
}
