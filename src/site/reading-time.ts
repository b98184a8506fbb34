/** How long a story takes to read, for its card. */

/**
 * Reading time in whole minutes at 200 words a minute, counting the prose of
 * an MDX body: code, SQL in template strings, component tags and their props,
 * imports and Markdown syntax are left out; each chart adds 12 seconds.
 */
export function readingMinutes(body: string): number {
  const charts = (body.match(/<[A-Z][A-Za-z]*Chart\b/g) ?? []).length;
  const prose = body
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/^(import|export) .*$/gm, ' ')
    .replace(/<[A-Z][^>]*?\/>/gs, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\[\^[^\]]*\]:?/g, ' ')
    .replace(/[|#>*_\-=:[\]()]/g, ' ');
  const words = prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return Math.max(1, Math.ceil(words / 200 + charts * 0.2));
}
