/**
 * The feed of deep-dives (RSS 2.0), newest first. Feed readers need absolute
 * links: set PLOTLINE_SITE (Astro's `site`) to the server's origin, e.g.
 * https://intranet.example; without it links point at localhost.
 */
import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { siteStories } from '../site/site-stories.ts';
import { links } from '../lib/links.ts';

export async function GET(context: APIContext) {
  const base = import.meta.env.BASE_URL;
  const stories = await siteStories();
  return rss({
    title: 'Plotline deep-dives',
    description: "The monthly deep-dives into the company's KPIs.",
    site: context.site ?? 'http://localhost:4321',
    trailingSlash: true,
    customData: '<language>en-gb</language>',
    items: stories.map((story) => ({
      title: story.entry.data.title,
      pubDate: story.entry.data.date,
      description: story.entry.data.summary,
      link: links.story(base, story.id),
      categories: [...story.entry.data.businessLines, ...story.entry.data.tags],
      ...(story.entry.data.authors.length > 0 && { customData: `<dc:creator>${story.entry.data.authors.join(', ').replace(/[<&]/g, '')}</dc:creator>` }),
    })),
    xmlns: { dc: 'http://purl.org/dc/elements/1.1/' },
  });
}
