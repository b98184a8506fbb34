/**
 * For the component gallery: every `<Example>` in MDX gets a `code`
 * attribute holding the exact MDX source of its children, so the page shows
 * each component live next to the text that produced it (and the two can
 * never drift apart).
 */
import type { Root } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';

export function remarkExamples() {
  return (tree: Root, file: { value: unknown }) => {
    const source = String(file.value);
    visit(tree, 'mdxJsxFlowElement', (node: MdxJsxFlowElement) => {
      if (node.name !== 'Example' || node.children.length === 0) return;
      const start = node.children[0]!.position?.start.offset;
      const end = node.children.at(-1)!.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const code = source.slice(start, end).replace(/^\n+|\s+$/g, '');
      node.attributes.push({ type: 'mdxJsxAttribute', name: 'code', value: code });
    });
  };
}
