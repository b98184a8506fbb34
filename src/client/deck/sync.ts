/**
 * Keeps the audience window and the presenter view on the same slide, in
 * both directions, with no server: a BroadcastChannel between windows of the
 * site, and postMessage to the window that opened this one (or that this one
 * opened) as a fallback for browsers whose file:// pages share no channel.
 * A message can arrive twice (once by each route): each carries its
 * sender's sequence number, and anything not newer than the last one seen
 * from that sender is dropped.
 */
export type DeckMessage = { type: 'goto'; index: number } | { type: 'blank'; on: boolean } | { type: 'hello' };

interface Envelope {
  plotlineDeck: string;
  from: string;
  seq: number;
  message: DeckMessage;
}

export interface DeckLink {
  send(message: DeckMessage): void;
  /** A window this one opened (the presenter view), reached by postMessage too. */
  adopt(other: Window): void;
}

export function linkWindows(name: string, receive: (message: DeckMessage) => void): DeckLink {
  const id = Math.random().toString(36).slice(2);
  let seq = 0;
  const seen = new Map<string, number>();
  const others = new Set<Window>();
  if (window.opener) others.add(window.opener as Window);
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(name);
  } catch {
    channel = undefined;
  }

  const accept = (data: unknown) => {
    const envelope = data as Partial<Envelope> | null;
    if (!envelope || envelope.plotlineDeck !== name || !envelope.from || envelope.from === id || typeof envelope.seq !== 'number') return;
    if ((seen.get(envelope.from) ?? -1) >= envelope.seq) return;
    seen.set(envelope.from, envelope.seq);
    receive(envelope.message!);
  };
  channel?.addEventListener('message', (event) => accept(event.data));
  window.addEventListener('message', (event) => accept(event.data));

  return {
    send(message) {
      seq += 1;
      const envelope: Envelope = { plotlineDeck: name, from: id, seq, message };
      channel?.postMessage(envelope);
      for (const other of others) {
        if (other.closed) others.delete(other);
        // '*': a file:// page's origin is opaque ("null"); the message carries only a slide number.
        else other.postMessage(envelope, '*');
      }
    },
    adopt(other) {
      others.add(other);
    },
  };
}
