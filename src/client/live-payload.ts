/** Reads an element's live payload (`data-plotline-live`): written and checked against its schema by the build (src/lib/live-payload.ts), so read here by its type alone. */
import type { LivePayload } from '../lib/live-payload.ts';

export function livePayload(element: HTMLElement): LivePayload {
  return JSON.parse(element.dataset.plotlineLive!) as LivePayload;
}
