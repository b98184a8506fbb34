/**
 * Presentation mode's pieces that need no browser: how a story splits into
 * slides, what each key does, the relative URLs that let a deck open from
 * file://, the presenter's timer, and what Slide and Notes render in the
 * article and in the deck.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import type { RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { relativeUrls } from '../../src/astro/deck-files.ts';
import { groupSlides } from '../../src/astro/remark-slides.ts';
import { actionFor } from '../../src/client/deck/keys.ts';
import { formatElapsed } from '../../src/client/deck/presenter.ts';

const text = (value: string): RootContent => ({ type: 'paragraph', children: [{ type: 'text', value }] });
const h = (depth: 1 | 2 | 3, value: string): RootContent => ({ type: 'heading', depth, children: [{ type: 'text', value }] });
const jsx = (name: string, children: RootContent[] = []): RootContent => ({ type: 'mdxJsxFlowElement', name, attributes: [], children: children as never });

/** Each top-level node: a slide as the text of its first child and its child count, anything else by type. */
function shape(nodes: RootContent[]): string[] {
  return nodes.map((node) => {
    if (node.type !== 'mdxJsxFlowElement' || node.name !== 'Slide') return node.type;
    const first = node.children[0] as { children?: { value?: string }[]; name?: string } | undefined;
    return `Slide(${first?.children?.[0]?.value ?? first?.name ?? ''}, ${node.children.length})`;
  });
}

describe('splitting a story into slides', () => {
  it('starts a slide at each second-level heading; the lead is a slide of its own', () => {
    const nodes = [text('Lead'), h(2, 'One'), text('a'), h(3, 'Sub'), text('b'), h(2, 'Two'), text('c')];
    expect(shape(groupSlides(nodes))).toEqual(['Slide(Lead, 1)', 'Slide(One, 4)', 'Slide(Two, 2)']);
  });

  it('keeps a <Slide> whole, headings inside and all, and starts a new slide after it', () => {
    const nodes = [h(2, 'One'), jsx('Slide', [h(2, 'Inside'), text('x')]), text('after'), h(2, 'Two')];
    expect(shape(groupSlides(nodes))).toEqual(['Slide(One, 1)', 'Slide(Inside, 2)', 'Slide(after, 1)', 'Slide(Two, 1)']);
  });

  it('gives Notes after a </Slide> to that slide rather than a slide of their own', () => {
    const nodes = [jsx('Slide', [text('Statement')]), jsx('Notes', [text('Say this')]), h(2, 'Next')];
    const slides = groupSlides(nodes);
    expect(shape(slides)).toEqual(['Slide(Statement, 2)', 'Slide(Next, 1)']);
  });

  it('leaves ESM and definitions at the top level and makes no slide of a comment alone', () => {
    const nodes: RootContent[] = [{ type: 'mdxjsEsm', value: 'export const x = 1' } as unknown as RootContent, { type: 'mdxFlowExpression', value: '/* draft */' } as RootContent, h(2, 'One'), { type: 'footnoteDefinition', identifier: 'a', children: [] }];
    // (Definitions can sit anywhere: the GFM footnotes section is built from all of them.)
    expect(shape(groupSlides(nodes)).sort()).toEqual(['Slide(One, 1)', 'footnoteDefinition', 'mdxFlowExpression', 'mdxjsEsm']);
  });
});

describe('deck keys', () => {
  it('moves with what laptops and clickers send', () => {
    expect(['ArrowRight', 'ArrowDown', 'PageDown', ' '].map((key) => actionFor({ key }))).toEqual(['next', 'next', 'next', 'next']);
    expect(['ArrowLeft', 'ArrowUp', 'PageUp'].map((key) => actionFor({ key }))).toEqual(['previous', 'previous', 'previous']);
    expect(actionFor({ key: ' ', shiftKey: true })).toBe('previous');
    expect([actionFor({ key: 'Home' }), actionFor({ key: 'End' })]).toEqual(['first', 'last']);
  });

  it('has letters for full screen, overview, blank and presenter, in either case', () => {
    expect(['f', 'O', 'b', '.', 'P', '7', 'Enter', 'Escape'].map((key) => actionFor({ key }))).toEqual(['fullscreen', 'overview', 'blank', 'blank', 'presenter', 'digit:7', 'jump', 'escape']);
  });

  it('leaves browser shortcuts and other keys alone', () => {
    expect(actionFor({ key: 'p', ctrlKey: true })).toBeUndefined();
    expect(actionFor({ key: 'f', metaKey: true })).toBeUndefined();
    expect(actionFor({ key: 'x' })).toBeUndefined();
    expect(actionFor({ key: 'Tab' })).toBeUndefined();
  });
});

describe('a deck page for file://', () => {
  const page = `<link rel="stylesheet" href="/insights/_astro/a.css"><script type="module" src="/insights/_astro/b.js"></script>
<a href="/insights/">Home</a><a href="//example.org/x">x</a><a href="https://example.org/insights/">y</a>
<figure data-plotline-chart="{&quot;tables&quot;:[{&quot;name&quot;:&quot;metrics&quot;,&quot;url&quot;:&quot;/insights/data/snapshots/2026-10/metrics.parquet&quot;}]}"></figure>`;

  it('points every site URL back to the root relatively, including chart data, and defers module scripts to the deck', () => {
    const out = relativeUrls(page, '/insights/', '../../../');
    expect(out).toContain('href="../../../_astro/a.css"');
    expect(out).toContain('<script type="plotline/module" src="../../../_astro/b.js">');
    expect(out).toContain('<a href="../../../">Home</a>');
    expect(out).toContain('&quot;url&quot;:&quot;../../../data/snapshots/2026-10/metrics.parquet&quot;');
    expect(out).toContain('href="//example.org/x"');
    expect(out).toContain('href="https://example.org/insights/"');
  });

  it('works for a site at the root too, without touching protocol-relative URLs', () => {
    const out = relativeUrls('<a href="/">Home</a><img src="/favicon.svg"><a href="//cdn/x">', '/', '../../../');
    expect(out).toBe('<a href="../../../">Home</a><img src="../../../favicon.svg"><a href="//cdn/x">');
  });
});

describe('presenter timer', () => {
  it('shows minutes and seconds, then hours', () => {
    expect([0, 59_999, 65_000, 754_000, 3_729_000].map(formatElapsed)).toEqual(['0:00', '0:59', '1:05', '12:34', '1:02:09']);
  });
});

describe('Slide and Notes', () => {
  it('add nothing to the article and keep notes out of its HTML', async () => {
    const container = await AstroContainer.create();
    const Slide = (await import('../../src/components/Slide.astro')).default;
    const Notes = (await import('../../src/components/Notes.astro')).default;
    const article = { locals: { story: { file: 'x.mdx', snapshot: '2026-10', inputs: {} } } };
    expect(await container.renderToString(Slide, { ...article, slots: { default: '<p>Body</p>' } })).toBe('<p>Body</p>');
    expect(await container.renderToString(Notes, { ...article, slots: { default: 'Secret' } })).toBe('');
  });

  it('make a 16:9 slide and inert speaker notes in the deck', async () => {
    const container = await AstroContainer.create();
    const Slide = (await import('../../src/components/Slide.astro')).default;
    const Notes = (await import('../../src/components/Notes.astro')).default;
    const deck = { locals: { deck: true, story: { file: 'x.mdx', snapshot: '2026-10', inputs: {} } } };
    const slide = (await container.renderToString(Slide, { ...deck, props: { layout: 'statement' }, slots: { default: '<p>Body</p>' } })).replace(/ data-astro-source-\w+="[^"]*"/g, '');
    expect(slide).toMatch(/^<section class="deck-slide deck-slide--statement" aria-roledescription="slide"><div class="deck-slide__canvas"><p>Body<\/p><\/div><\/section>$/);
    const notes = (await container.renderToString(Notes, { ...deck, slots: { default: 'Secret' } })).replace(/ data-astro-source-\w+="[^"]*"/g, '');
    expect(notes).toBe('<template class="deck-notes">Secret</template>');
    await expect(container.renderToString(Slide, { ...deck, props: { layout: 'wide' } })).rejects.toThrow('x.mdx  <Slide layout="wide">: unknown layout. Use layout="statement", or leave it out.');
  });
});
