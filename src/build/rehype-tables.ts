/**
 * Markdown tables that work under the site's CSP and on a phone:
 * - GFM column alignment (`---:`) becomes a class (`align-right`) instead of
 *   an inline `style`, which a strict Content-Security-Policy blocks;
 * - each table sits in a focusable region that scrolls sideways on narrow
 *   screens instead of widening the page.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

export function rehypeTables() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if ((node.tagName === 'th' || node.tagName === 'td') && typeof node.properties.align === 'string') {
        const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
        node.properties.className = [...classes, `align-${node.properties.align}`];
        delete node.properties.align;
      }
      if (node.tagName === 'table' && parent && index !== undefined && !(parent.type === 'element' && parent.properties.className?.toString().includes('table-scroll'))) {
        parent.children[index] = {
          type: 'element',
          tagName: 'div',
          properties: { className: ['table-scroll'], role: 'region', tabIndex: 0, ariaLabel: 'Table, scrolls sideways' },
          children: [node],
        };
      }
    });
  };
}
