/**
 * Validates every story without building the site: parses its frontmatter
 * against the collection's schema, then renders its MDX with the real
 * components (Astro's Container API), so every query runs against the
 * story's pinned snapshot and every prop is checked exactly as in the build.
 * Loaded through Vite by scripts/check.ts (MDX and .astro need compiling).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getContainerRenderer as mdxRenderer } from '@astrojs/mdx/container-renderer';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { parse as parseYaml } from 'yaml';
import { storyComponents } from '../components/story-components.ts';
import { storySchema } from '../content.config.ts';
import { resetSiteModel } from './site-model.ts';
import { contextOf } from './story-context.ts';

export interface StoryProblem {
  file: string;
  message: string;
}

export async function checkStories(root: string, dir = join(root, 'src/stories'), only?: string[]): Promise<{ checked: string[]; problems: StoryProblem[] }> {
  resetSiteModel();
  const container = await AstroContainer.create({ renderers: await loadRenderers([mdxRenderer()]) });
  const files = readdirSync(dir).filter((f) => f.endsWith('.mdx') && (!only || only.some((o) => f.includes(o)))).sort();
  const problems: StoryProblem[] = [];
  const checked: string[] = [];
  for (const name of files) {
    const path = join(dir, name);
    const file = relative(root, path);
    checked.push(file);
    const text = readFileSync(path, 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!match) {
      problems.push({ file, message: `${file}:1  no frontmatter. A story starts with --- and its title, date, period and summary.` });
      continue;
    }
    const parsed = storySchema.safeParse(parseYaml(match[1]!));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.');
        const line = match[1]!.split(/\r?\n/).findIndex((l) => l.startsWith(`${String(issue.path[0])}:`));
        problems.push({ file, message: `${file}:${line >= 0 ? line + 2 : 1}  frontmatter ${key || '(top)'}: ${issue.message}.` });
      }
      continue;
    }
    // Drafts are checked too: they are what analysts are working on.
    try {
      const module = (await import(/* @vite-ignore */ `/${relative(root, path)}`)) as { default: Parameters<AstroContainer['renderToString']>[0] };
      await container.renderToString(module.default, {
        props: { components: storyComponents },
        locals: { story: contextOf({ id: name, filePath: file, data: parsed.data }) },
      });
    } catch (error) {
      const message = (error as Error).message;
      const located = withLine(message.startsWith(file) ? message : `${file}  ${message}`, file, text);
      problems.push({ file, message: located });
    }
  }
  return { checked, problems };
}

/**
 * Adds the line of the component an error names (`<Kpi metric="revenu">`) by
 * finding its opening tag in the source: the first `<Kpi` whose next lines
 * carry that attribute.
 */
export function withLine(message: string, file: string, text: string): string {
  const tag = /<([A-Z][A-Za-z]*)(?: (\w+)="([^"]*)")?/.exec(message.slice(file.length));
  if (!tag || !message.startsWith(`${file}  `)) return message;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    if (!lines[i]!.includes(`<${tag[1]}`)) continue;
    const window = lines.slice(i, i + 12).join('\n');
    if (!tag[2] || window.includes(`${tag[2]}="${tag[3]}"`)) return `${file}:${i + 1}${message.slice(file.length)}`;
  }
  return message;
}
