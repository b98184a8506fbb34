/** What the presentation-mode specs share: the deck under test, the slides its MDX asks for, and how to open it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const DIST = join(import.meta.dirname, '.dist');
export const SLUG = '2026-10-roadshow';
export const DECK = `/insights/stories/${SLUG}/present/`;
export const source = (slug: string) => readFileSync(join(ROOT, 'src/stories', `${slug}.mdx`), 'utf8');

/**
 * The slides a story should have, read from its MDX text by the documented
 * rule: a title slide; each top-level `## ` heading starts a slide; a
 * `<Slide>…</Slide>` is one slide; content before the first boundary, or
 * after a `</Slide>`, starts a slide; `<Notes>` never do.
 */
export function expectedSlides(mdx: string): number {
  const body = mdx.replace(/^---\n[\s\S]*?\n---\n/, '');
  let slides = 1;
  let open = false;
  let fence = false;
  let inSlide = false;
  let inNotes = false;
  for (const line of body.split('\n')) {
    if (fence) {
      if (line.startsWith('```')) fence = false;
      continue;
    }
    if (inSlide) {
      if (line.startsWith('</Slide>')) inSlide = false;
      continue;
    }
    if (inNotes) {
      if (line.includes('</Notes>')) inNotes = false;
      continue;
    }
    if (/^<Slide[\s>]/.test(line)) {
      slides += 1;
      open = false;
      inSlide = !line.includes('</Slide>') && !line.trimEnd().endsWith('/>');
    } else if (line.startsWith('<Notes>')) {
      inNotes = !line.includes('</Notes>');
    } else if (line.startsWith('## ')) {
      slides += 1;
      open = true;
    } else if (line.trim() !== '' && !open) {
      slides += 1;
      open = true;
      if (line.startsWith('```')) fence = true;
    } else if (line.startsWith('```')) {
      fence = true;
    }
  }
  return slides;
}

/** The first sentence of each `<Notes>` in the MDX, whitespace collapsed. */
export function notesIn(mdx: string): string[] {
  return [...mdx.matchAll(/<Notes>([\s\S]*?)<\/Notes>/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim().split(/(?<=[.:])\s/)[0]!);
}

export const stories = readdirSync(join(ROOT, 'src/stories'))
  .filter((name) => name.endsWith('.mdx') && !/^draft:\s*true/m.test(source(name.replace(/\.mdx$/, ''))))
  .map((name) => name.replace(/\.mdx$/, ''));
export const SLIDES = expectedSlides(source(SLUG));
/** A chart's line paths (Plot marks; labelled by aria-label, or data-mark once charts are one image). */
export const LINE = ':is(g[aria-label="line"], g[data-mark="line"]) path';
export const current = (page: Page) => page.locator('.deck-slide--current');
export const at = (page: Page, n: number) => expect(current(page)).toHaveAttribute('data-slide', String(n));

export async function openDeck(page: Page, hash = ''): Promise<void> {
  await page.goto(`${DECK}${hash}`);
  await expect(page.locator('html')).toHaveAttribute('data-deck', 'ready');
}
