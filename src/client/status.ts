/** A live element's status line: what went wrong when it could not update. */

/** Marks a live element as failed and says why in its status line; it keeps the last view that worked. */
export function showFailure(element: HTMLElement, error: unknown): void {
  element.dataset.state = 'error';
  const status = element.querySelector<HTMLElement>('.plotline-chart__status');
  if (!status) return;
  const message = error instanceof Error ? error.message : String(error);
  status.textContent = `This could not update: ${message.replace(/\.?$/, '.')} It shows the last view that worked.`;
  status.hidden = false;
}
