/**
 * The presentation page's one script. It is a classic script (the page
 * imports it as `?worker&url`, Vite's way of emitting a self-contained IIFE
 * bundle), because Chromium refuses module scripts on file:// pages and the
 * deck must work from a folder copied to a laptop.
 *
 * Keys: → ↓ space PageDown next; ← ↑ shift+space PageUp previous; Home, End;
 * a number then Enter jumps; F full screen; O overview; B or . blanks the
 * screen; P opens the presenter view; Esc leaves the overview, the blank
 * screen or a half-typed number. Click or tap on a slide goes forward.
 */
import { Deck } from './deck.ts';
import { actionFor } from './keys.ts';
import { explainFileMode, loadModules, registerOffline } from './local.ts';
import { startPresenter } from './presenter.ts';
import { linkWindows } from './sync.ts';

const root = document.querySelector<HTMLElement>('[data-deck]');
if (root) start(root);

function start(root: HTMLElement): void {
  const html = document.documentElement;
  const presenting = new URLSearchParams(location.search).get('view') === 'presenter';
  const deck = new Deck({
    root,
    counter: document.querySelector('.deck-counter'),
    progress: document.querySelector('.deck-progress'),
    bar: document.querySelector('.deck-progress__bar'),
  });
  const jump = document.querySelector<HTMLElement>('.deck-jump');
  html.dataset.deckView = presenting ? 'presenter' : 'audience';
  if (presenting) document.title = `Presenter view: ${document.title}`;

  const link = linkWindows(`plotline-deck:${root.dataset.deck}`, (message) => {
    if (message.type === 'goto') deck.go(message.index, false);
    else if (message.type === 'blank' && !presenting) deck.setBlank(message.on);
    else if (message.type === 'hello') link.send({ type: 'goto', index: deck.index });
  });
  const showInPresenter = presenting ? startPresenter(deck) : undefined;
  deck.onChange = (index, local) => {
    if (local) link.send({ type: 'goto', index });
    showInPresenter?.(index);
  };

  let typed = '';
  const setTyped = (value: string) => {
    typed = value;
    if (!jump) return;
    jump.hidden = typed === '';
    jump.textContent = `Go to slide ${typed}: press Enter`;
  };

  const act = (action: ReturnType<typeof actionFor>): boolean => {
    if (action === undefined) return false;
    if (action.startsWith('digit:')) {
      setTyped(`${typed}${action.slice(6)}`.slice(-3));
      return true;
    }
    if (action !== 'jump' && typed !== '') setTyped('');
    switch (action) {
      case 'next':
        deck.next();
        break;
      case 'previous':
        deck.previous();
        break;
      case 'first':
        deck.go(0);
        break;
      case 'last':
        deck.go(deck.count - 1);
        break;
      case 'jump':
        if (typed !== '') deck.go(Number(typed) - 1);
        else if (deck.overview) deck.setOverview(false);
        else return false;
        setTyped('');
        break;
      case 'fullscreen':
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
        else void html.requestFullscreen().catch(() => {});
        break;
      case 'overview':
        deck.setOverview(!deck.overview);
        break;
      case 'blank':
        deck.setBlank(!deck.blank);
        if (presenting) link.send({ type: 'blank', on: deck.blank });
        break;
      case 'presenter':
        openPresenter();
        break;
      case 'escape':
        if (typed !== '') setTyped('');
        else if (deck.overview) deck.setOverview(false);
        else if (deck.blank) act('blank');
        else return false;
        break;
    }
    return true;
  };

  const openPresenter = () => {
    if (presenting) return;
    const url = new URL(location.href);
    url.searchParams.set('view', 'presenter');
    url.hash = `#/${deck.index + 1}`;
    const other = window.open(url.href, `plotline-presenter-${root.dataset.deck}`, 'popup,width=1280,height=800');
    if (other) link.adopt(other);
  };

  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    // Typing in an input, or pressing a button or link, is the reader's, not the deck's.
    if (target?.closest('select, input, textarea, [contenteditable]') && event.key !== 'Escape') return;
    if (target?.closest('button, a, summary') && (event.key === 'Enter' || event.key === ' ')) return;
    if (act(actionFor(event))) event.preventDefault();
  });

  root.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    if (deck.overview) {
      const slide = target.closest<HTMLElement>('.deck-slide');
      if (slide) {
        deck.go(deck.slides.indexOf(slide));
        deck.setOverview(false);
      }
      return;
    }
    // Clicks on what a slide offers (links, inputs, a chart's data) are theirs.
    if (target.closest('a, button, select, input, label, summary, details, .plotline-term')) return;
    if (window.getSelection()?.toString()) return;
    deck.next();
  });
  document.querySelector('[data-deck-action="previous"]')?.addEventListener('click', () => deck.previous());
  document.querySelector('[data-deck-action="next"]')?.addEventListener('click', () => deck.next());
  document.querySelector('[data-deck-action="overview"]')?.addEventListener('click', () => act('overview'));
  document.querySelector('[data-deck-action="presenter"]')?.addEventListener('click', () => act('presenter'));
  document.querySelector('[data-deck-action="fullscreen"]')?.addEventListener('click', () => act('fullscreen'));
  document.querySelector('.deck-blank')?.addEventListener('click', () => deck.setBlank(false));

  window.addEventListener('hashchange', () => {
    const index = Deck.fromHash(location.hash);
    if (index !== undefined) deck.go(index);
  });

  html.dataset.deck = 'ready';
  // Opening or reloading a window moves no other: only a later step is sent.
  deck.go(Deck.fromHash(location.hash) ?? 0, false);
  if (presenting) link.send({ type: 'hello' });
  const fit = () => deck.fit();
  fit();
  void document.fonts?.ready.then(fit);
  window.addEventListener('beforeprint', () => {
    deck.setOverview(false);
  });

  explainFileMode();
  loadModules();
  registerOffline(root.dataset.base ?? '/');
}
