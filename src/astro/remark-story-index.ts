/**
 * Indexes what a story says for the site around it, straight from its MDX:
 * every `<Decision>` (for the decisions register) and every metric a
 * component names (for "stories that cite this metric"). Astro hands the
 * result to pages as `remarkPluginFrontmatter.plotline` from `render(story)`.
 *
 * Only literal attribute values are read (`metric="bookings"`); a component
 * given an expression (`metric={id}`) is still checked when it renders.
 */
import type { Root } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';

/** A decision recorded in a story: what, who, when, on which metric, and the effect expected. */
export interface StoryDecision {
  /** What was decided. */
  what: string;
  /** Who decided. */
  by: string;
  /** When, YYYY-MM-DD. */
  date: string;
  /** The metric it is meant to move. */
  metric: string;
  /** The effect expected, in words. */
  expected: string;
  /** Line in the MDX file. */
  line?: number;
}

export interface StoryIndex {
  decisions: StoryDecision[];
  /** Metric ids named by components (`metric`, `drivers`), first mention first. */
  metrics: string[];
}

type Element = MdxJsxFlowElement | MdxJsxTextElement;

function literal(node: Element, name: string): string | undefined {
  const attribute = node.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof attribute?.value === 'string' ? attribute.value : undefined;
}

export function remarkStoryIndex() {
  return (tree: Root, file: { data: Record<string, unknown> }) => {
    const index: StoryIndex = { decisions: [], metrics: [] };
    visit(tree, (node) => {
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
      const element = node as Element;
      const metric = literal(element, 'metric');
      if (metric && !index.metrics.includes(metric)) index.metrics.push(metric);
      if (element.name === 'Decision') {
        index.decisions.push({
          what: literal(element, 'what') ?? '',
          by: literal(element, 'by') ?? '',
          date: literal(element, 'date') ?? '',
          metric: metric ?? '',
          expected: literal(element, 'expected') ?? '',
          line: element.position?.start.line,
        });
      }
    });
    const astro = (file.data.astro ??= {}) as { frontmatter?: Record<string, unknown> };
    astro.frontmatter ??= {};
    astro.frontmatter.plotline = index;
  };
}

/** The index of a rendered story (`(await render(story)).remarkPluginFrontmatter`). */
export function storyIndex(remarkPluginFrontmatter: Record<string, unknown>): StoryIndex {
  return (remarkPluginFrontmatter.plotline as StoryIndex | undefined) ?? { decisions: [], metrics: [] };
}
