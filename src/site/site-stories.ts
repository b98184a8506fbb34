/**
 * The published stories as the site's pages list them: newest first, each
 * with its reading time, the metrics it cites (frontmatter `metrics` plus
 * those its components name) and the Decisions it records.
 */
import { type CollectionEntry, getCollection, render } from 'astro:content';
import { type StoryDecision, storyIndex } from '../astro/remark-story-index.ts';
import { readingMinutes } from './reading-time.ts';

export interface SiteStory {
  entry: CollectionEntry<'stories'>;
  id: string;
  minutes: number;
  /** Cited metric ids: the frontmatter's first, then those components name. */
  metrics: string[];
  decisions: StoryDecision[];
}

let cached: Promise<SiteStory[]> | undefined;

/** Every published (non-draft) story, newest first (by date, then title). */
export function siteStories(): Promise<SiteStory[]> {
  // Once per build; the dev server re-reads so a new or edited story shows.
  if (import.meta.env.DEV) cached = undefined;
  cached ??= (async () => {
    const entries = await getCollection('stories', ({ data }) => !data.draft);
    const stories = await Promise.all(
      entries.map(async (entry) => {
        const index = storyIndex((await render(entry)).remarkPluginFrontmatter);
        return {
          entry,
          id: entry.id,
          minutes: readingMinutes(entry.body ?? ''),
          metrics: [...new Set([...entry.data.metrics, ...index.metrics])],
          decisions: index.decisions,
        };
      }),
    );
    return stories.sort((a, b) => b.entry.data.date.getTime() - a.entry.data.date.getTime() || a.entry.data.title.localeCompare(b.entry.data.title));
  })();
  return cached;
}

/** The stories that cite a metric, newest first. */
export async function storiesCiting(metricId: string): Promise<SiteStory[]> {
  return (await siteStories()).filter((story) => story.metrics.includes(metricId));
}
