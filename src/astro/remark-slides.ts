/**
 * Splits a story into slides, at build time, so the presentation view has
 * its slides in the HTML (they exist with JavaScript off and in print). The
 * rule, also in the README:
 *
 * - each second-level heading (`## …`) starts a slide;
 * - a `<Slide>…</Slide>` is one slide of its own, whatever headings it holds;
 * - the lead (anything before the first boundary) is a slide when it has content;
 * - content after a `</Slide>` and before the next `##` is a slide too,
 *   except `<Notes>`, which belong to the slide before them.
 *
 * Each automatic slide is wrapped in a `<Slide>` element, so both kinds reach
 * the page as the same component: in the article it renders its content and
 * nothing else; on the presentation page it renders a 16:9 slide. Only
 * top-level nodes count: a heading inside a component is not a boundary.
 * The deck's title slide comes from the frontmatter (the page adds it).
 */
import type { Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type {} from 'mdast-util-mdx-expression';

/** Nodes that stay at the top level: ESM, and definitions, which are not content. */
const OUTSIDE = new Set(['mdxjsEsm', 'definition', 'footnoteDefinition', 'yaml', 'toml']);

function isSlide(node: RootContent): node is MdxJsxFlowElement {
  return node.type === 'mdxJsxFlowElement' && node.name === 'Slide';
}

function isNotes(node: RootContent): boolean {
  return node.type === 'mdxJsxFlowElement' && node.name === 'Notes';
}

function startsSlide(node: RootContent): boolean {
  return (node.type === 'heading' && node.depth === 2) || isSlide(node);
}

function slide(children: RootContent[]): MdxJsxFlowElement {
  return { type: 'mdxJsxFlowElement', name: 'Slide', attributes: [], children: children as MdxJsxFlowElement['children'] };
}

/** The top-level nodes grouped into slides, in order; ESM and definitions stay outside. */
export function groupSlides(children: RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  let current: RootContent[] = [];
  const flush = () => {
    const shows = current.some((node) => node.type !== 'mdxFlowExpression' && !isNotes(node));
    const previous = out.findLast((node): node is MdxJsxFlowElement => isSlide(node));
    if (shows) out.push(slide(current));
    // Notes straight after a </Slide> belong to it, not to a slide of their own.
    else if (previous && current.some(isNotes)) previous.children.push(...(current as MdxJsxFlowElement['children']));
    // `{expressions}` alone (MDX comments, say) show nothing: no slide.
    else out.push(...current);
    current = [];
  };
  for (const node of children) {
    if (OUTSIDE.has(node.type)) {
      out.push(node);
    } else if (isSlide(node)) {
      flush();
      out.push(node);
    } else {
      if (startsSlide(node)) flush();
      current.push(node);
    }
  }
  flush();
  return out;
}

/** The remark plugin; only stories (MDX under src/stories/) are split. */
export function remarkSlides() {
  return (tree: Root, file: { path?: string }) => {
    if (file.path && !/[\\/]src[\\/]stories[\\/]/.test(file.path)) return;
    tree.children = groupSlides(tree.children);
  };
}
