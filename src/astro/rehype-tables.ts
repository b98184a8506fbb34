/**
 * Markdown tables that work under the site's CSP and on a phone:
 * - GFM column alignment (`---:`) becomes a class (`align-right`) instead of
 *   an inline `style`, which a strict Content-Security-Policy blocks;
 * - each table sits in a focusable region that scrolls sideways on narrow
 *   screens instead of widening the page;
 * - a task list's checkboxes say whether the item is done (screen readers
 *   otherwise meet an unlabelled checkbox).
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
      // GFM task-list boxes are disabled checkboxes with no label: name them by their state.
      if (node.tagName === 'input' && node.properties.type === 'checkbox' && node.properties.ariaLabel === undefined) {
        node.properties.ariaLabel = node.properties.checked ? 'Done' : 'Not done yet';
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
