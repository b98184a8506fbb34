/**
 * What each key does in the presentation. Clickers send PageUp/PageDown
 * (some send arrows, `b` or `.` for their blank button); laptops use arrows
 * and space. Kept apart from the DOM so the mapping is tested on its own.
 */
export type DeckAction =
  | 'next'
  | 'previous'
  | 'first'
  | 'last'
  | 'jump'
  | 'fullscreen'
  | 'overview'
  | 'blank'
  | 'presenter'
  | 'escape'
  | `digit:${number}`;

export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const KEYS: Record<string, DeckAction> = {
  ArrowRight: 'next',
  ArrowDown: 'next',
  PageDown: 'next',
  ArrowLeft: 'previous',
  ArrowUp: 'previous',
  PageUp: 'previous',
  Home: 'first',
  End: 'last',
  Enter: 'jump',
  Escape: 'escape',
  f: 'fullscreen',
  o: 'overview',
  b: 'blank',
  '.': 'blank',
  p: 'presenter',
};

/** The deck action for a key press, or undefined when the deck should leave it alone. */
export function actionFor(press: KeyPress): DeckAction | undefined {
  // Browser and system shortcuts (Ctrl+P prints, Cmd+F finds) stay theirs.
  if (press.ctrlKey || press.metaKey || press.altKey) return undefined;
  if (press.key === ' ') return press.shiftKey ? 'previous' : 'next';
  if (/^[0-9]$/.test(press.key)) return `digit:${Number(press.key)}`;
  return KEYS[press.key.length === 1 ? press.key.toLowerCase() : press.key];
}
